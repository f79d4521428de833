using System;
using System.Management.Automation;
using PSUpnp.Igd;

namespace PSUpnp.Commands
{
    /// <summary>Rejects a lease the router cannot be asked for at binding time, with the engine's explanation.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateLeaseDurationAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var lease = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (lease is TimeSpan span && LeaseDurationRule.Problem(span) is string problem)
            {
                throw new ValidationMetadataException(problem);
            }
        }
    }
}
