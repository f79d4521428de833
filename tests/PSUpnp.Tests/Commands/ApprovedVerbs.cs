using System;
using System.Collections.Generic;

namespace PSUpnp.Tests.Surface
{
    /// <summary>
    /// The approved verbs as `Get-Verb` lists them in PowerShell 7 (Windows PowerShell 5.1 has the same list without
    /// Build and Deploy). A test checks the list against the Verbs* classes of System.Management.Automation.
    /// </summary>
    public static class ApprovedVerbs
    {
        public static readonly IReadOnlyCollection<string> All = new HashSet<string>(StringComparer.Ordinal)
        {
            // Common
            "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move",
            "New", "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select",
            "Set", "Show", "Skip", "Split", "Step", "Switch", "Undo", "Unlock", "Watch",
            // Communications
            "Connect", "Disconnect", "Read", "Receive", "Send", "Write",
            // Data
            "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit",
            "Expand", "Export", "Group", "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore",
            "Save", "Sync", "Unpublish", "Update",
            // Diagnostic
            "Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace",
            // Lifecycle
            "Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable", "Install", "Invoke",
            "Register", "Request", "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall", "Unregister", "Wait",
            // Security
            "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect",
            // Other
            "Use",
        };

        /// <summary>Verbs that change state: their cmdlets must support -WhatIf and -Confirm.</summary>
        public static readonly IReadOnlyCollection<string> Changing = new HashSet<string>(StringComparer.Ordinal)
        {
            "Add", "Clear", "Close", "Move", "New", "Remove", "Rename", "Reset", "Set", "Disable", "Enable", "Install",
            "Register", "Restart", "Start", "Stop", "Uninstall", "Unregister", "Update", "Block", "Grant", "Revoke", "Unblock",
        };
    }
}
