namespace PSUpnp.Igd
{
    /// <summary>The next step of an add or renewal, decided from what the router holds.</summary>
    internal enum AddStep
    {
        /// <summary>The port is free: AddPortMapping, and the result is Created.</summary>
        Create,

        /// <summary>This client holds it: AddPortMapping again (delete and add if the router refuses), Renewed.</summary>
        Renew,

        /// <summary>Another client holds it and -Force was given: delete, add, restore it if the add fails; Replaced.</summary>
        TakeOver,

        /// <summary>Another client holds it and no -Force: UpnpMappingConflictException naming the holder; nothing changes.</summary>
        Conflict,

        /// <summary>The router refused with 718 but holds nothing to name: its refusal is the answer.</summary>
        Refused,

        /// <summary>A copy sent again was refused with 718, but the router holds the mapping for this client: the first copy was applied.</summary>
        EarlierCopyApplied,
    }

    /// <summary>
    /// The decisions of the add/renew operation, apart from its exchanges: a GetSpecificPortMappingEntry first, then
    /// AddPortMapping as planned here, and once more after a 718, then a read-back.
    /// </summary>
    internal static class AddPlan
    {
        /// <summary>What to do, given what the router held when looked up before adding (null: nothing).</summary>
        public static AddStep Before(UpnpPortMapping? held, PortMappingTarget target, bool force)
        {
            if (held == null)
            {
                return AddStep.Create;
            }

            if (target.IsSameClient(held))
            {
                return AddStep.Renew;
            }

            return force ? AddStep.TakeOver : AddStep.Conflict;
        }

        /// <summary>
        /// What to do after AddPortMapping was refused with 718 and the port looked up again: it was taken between the
        /// look and the add, the look could not see it, or the refused request was a copy sent again after our own first
        /// copy had been applied.
        /// </summary>
        public static AddStep AfterConflict(UpnpPortMapping? holder, PortMappingTarget target, bool force, bool requestWasResent)
        {
            if (holder == null)
            {
                return AddStep.Refused;
            }

            if (requestWasResent && target.IsSameClient(holder))
            {
                return AddStep.EarlierCopyApplied;
            }

            return Before(holder, target, force);
        }

        public static PortMappingChange Change(AddStep step) => step switch
        {
            AddStep.Renew => PortMappingChange.Renewed,
            AddStep.TakeOver => PortMappingChange.Replaced,
            _ => PortMappingChange.Created,
        };
    }
}
