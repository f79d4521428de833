using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using PSUpnp.Lab;

namespace PSUpnp.Bench.Runner
{
    /// <summary>The outcomes of one iteration: the driver's run and the peer's, in whatever order they ran.</summary>
    internal sealed class Iteration
    {
        public Iteration(IReadOnlyList<ProcessOutcome> ours, IReadOnlyList<ProcessOutcome> peer, IReadOnlyList<ProcessOutcome> peerL, IReadOnlyList<ProcessOutcome> baseline)
        {
            Ours = ours;
            Peer = peer;
            PeerL = peerL;
            Baseline = baseline;
        }

        public IReadOnlyList<ProcessOutcome> Ours { get; }

        public IReadOnlyList<ProcessOutcome> Peer { get; }

        /// <summary>list-100's second peer (upnpc -L); empty elsewhere.</summary>
        public IReadOnlyList<ProcessOutcome> PeerL { get; }

        /// <summary>renew-script's pwsh with an empty script; empty elsewhere.</summary>
        public IReadOnlyList<ProcessOutcome> Baseline { get; }
    }

    /// <summary>
    /// One comparison: the driver's commands and the peer's, timed as one run each; the in-process bench command; the
    /// target ratio (none for the scenarios that only measure); how many bare round trips it cannot do without; the
    /// check that both did the same work.
    /// </summary>
    internal sealed class Scenario
    {
        public Scenario(string name, double? target, string targetRule)
        {
            Name = name;
            Target = target;
            TargetRule = targetRule;
        }

        public string Name { get; }

        /// <summary>The ratio ours_ms / peer_ms must not exceed; null where the issue only asks for the figure.</summary>
        public double? Target { get; }

        public string TargetRule { get; }

        public IReadOnlyList<Command> Ours { get; set; } = Array.Empty<Command>();

        public IReadOnlyList<Command> Peer { get; set; } = Array.Empty<Command>();

        /// <summary>A second peer form reported beside the first (list-100: upnpc -L).</summary>
        public IReadOnlyList<Command> PeerL { get; set; } = Array.Empty<Command>();

        /// <summary>
        /// A program started beside ours in every iteration whose time is part of ours and cannot be changed by us
        /// (renew-script: pwsh running an empty script, pwsh's own start-up); its median joins the floor.
        /// </summary>
        public IReadOnlyList<Command> Baseline { get; set; } = Array.Empty<Command>();

        /// <summary>
        /// The ratio is of whole processes (ours_process_ms / peer_ms): what is compared is what a user starts, such as
        /// a renewal script started by cron, not an operation inside a warm session.
        /// </summary>
        public bool WholeProcess { get; set; }

        /// <summary>Ours is the bench driver, which reports its peak resident size (renew-script's pwsh does not).</summary>
        public bool OursIsDriver { get; set; } = true;

        /// <summary>What ours and the peer are, when they are not the commands above (the cmdlet-* rows: a cmdlet in a warm session, the driver's in-process bench).</summary>
        public string? OursLabel { get; set; }

        public string? PeerLabel { get; set; }

        /// <summary>The driver's <c>bench SCENARIO --runs N ...</c>: cold and warm in-process times.</summary>
        public Command? InProcess { get; set; }

        public int UdpRoundTrips { get; set; }

        public int HttpRoundTrips { get; set; }

        public double FixedWaitMs { get; set; }

        public string FloorRule { get; set; } = string.Empty;

        /// <summary>
        /// Where the router's own work is a large part of the scenario (add-delete, list-100): the bare exchanges of
        /// the same requests, measured after setup, as the floor with the router included.
        /// </summary>
        public Func<Floors, double>? RouterFloor { get; set; }

        public string RouterFloorRule { get; set; } = string.Empty;

        /// <summary>The router's NAT mode for nat-* (the verdicts are compared); null for the UPnP scenarios.</summary>
        public NatMode? NatMode { get; set; }

        /// <summary>Brings the lab into the scenario's state (NAT mode, mappings present).</summary>
        public Func<Task>? Setup { get; set; }

        /// <summary>Puts the lab back, whether the scenario passed or failed.</summary>
        public Func<Task>? Teardown { get; set; }

        /// <summary>What went wrong in one iteration (the tools disagree, or one did not do the work); empty when all is well.</summary>
        public Func<Iteration, IReadOnlyList<string>> Check { get; set; } = _ => Array.Empty<string>();
    }
}
