using System;

namespace PSUpnp
{
    /// <summary>The time source for lease expiry and cache ageing, injectable so tests can move time.</summary>
    public interface ISystemClock
    {
        DateTimeOffset UtcNow { get; }
    }

    public sealed class SystemClock : ISystemClock
    {
        public static readonly SystemClock Instance = new SystemClock();

        private SystemClock()
        {
        }

        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
    }
}
