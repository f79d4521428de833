using System;
using System.Collections.Generic;

namespace PSUpnp.Engine
{
    /// <summary>What one engine operation gives back: its value, and what the caller must be told about it in words.</summary>
    internal sealed class OperationResult<T>
    {
        public OperationResult(T value, IReadOnlyList<string>? warnings = null)
        {
            Value = value;
            Warnings = warnings ?? Array.Empty<string>();
        }

        public T Value { get; }

        /// <summary>Adjustments the router forced or findings about the network (a lease made permanent, a double NAT), for WriteWarning.</summary>
        public IReadOnlyList<string> Warnings { get; }
    }
}
