using System.Diagnostics.CodeAnalysis;

// The one use each of what src/PSUpnp/BannedSymbols.txt keeps away from the cmdlets: a second use elsewhere fails the
// build (RS0030), which is how the rules "one place builds and writes error records, one place writes verbose output,
// one façade per run" are held.
[assembly: SuppressMessage("ApiDesign", "RS0030", Scope = "member", Target = "~M:PSUpnp.Commands.ErrorRecordFactory.Create(PSUpnp.UpnpException,System.Object)~System.Management.Automation.ErrorRecord", Justification = "The one place an engine error becomes an ErrorRecord.")]
[assembly: SuppressMessage("ApiDesign", "RS0030", Scope = "member", Target = "~M:PSUpnp.Commands.UpnpCmdletBase.WriteUpnpError(PSUpnp.UpnpException,System.Object)", Justification = "The one writer of non-terminating errors.")]
[assembly: SuppressMessage("ApiDesign", "RS0030", Scope = "member", Target = "~M:PSUpnp.Commands.UpnpCmdletBase.ThrowUpnpError(PSUpnp.UpnpException,System.Object)", Justification = "The one writer of terminating errors (no gateway).")]
[assembly: SuppressMessage("ApiDesign", "RS0030", Scope = "member", Target = "~M:PSUpnp.Commands.UpnpCmdletBase.WriteTrace(System.String)", Justification = "Verbose output, one line per message.")]
[assembly: SuppressMessage("ApiDesign", "RS0030", Scope = "member", Target = "~M:PSUpnp.Commands.UpnpCmdletBase.Emit(System.Object)", Justification = "Verbose output posted from other threads, already one line.")]
[assembly: SuppressMessage("ApiDesign", "RS0030", Scope = "member", Target = "~P:PSUpnp.Commands.UpnpCmdletBase.Engine", Justification = "The one façade of a run.")]
