using System;

namespace PSUpnp
{
    /// <summary>The time source for lease expiry and cache ageing, injectable so tests can move time.</summary>
    internal interface ISystemClock
    {
        DateTimeOffset UtcNow { get; }
    }

    internal sealed class SystemClock : ISystemClock
    {
        public static readonly SystemClock Instance = new SystemClock();

        private SystemClock()
        {
        }

        // The one reader of the wall clock: BannedSymbols.txt bans it everywhere else.
#pragma warning disable RS0030
        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
#pragma warning restore RS0030
    }
}
