using System;
using System.IO;
using System.Linq;

namespace PSUpnp.Bench.Runner
{
    /// <summary>
    /// pwsh and the built module, as bench/run gives them (--pwsh, --module), and the scripts of bench/scripts (copied
    /// beside the runner), started as cron or a systemd timer starts a script: <c>pwsh -NoProfile -NonInteractive -File</c>.
    /// </summary>
    internal sealed class PowerShellHost
    {
        public PowerShellHost(string? pwsh, string? module)
        {
            // pwsh resolves a relative module path against its own module directories, not the working directory.
            Pwsh = pwsh == null ? null : Path.GetFullPath(pwsh);
            Module = module == null ? null : Path.GetFullPath(module);
        }

        public string? Pwsh { get; }

        public string? Module { get; }

        public Command File(string script, params string[] arguments) =>
            new Command(Pwsh ?? "pwsh", new[] { "-NoProfile", "-NonInteractive", "-File", ScriptPath(script) }.Concat(arguments).ToArray());

        /// <summary>Fails the scenario that needs PowerShell, saying what is missing, before anything is timed.</summary>
        public void EnsureAvailable()
        {
            if (Pwsh == null || Module == null)
            {
                throw new BenchFailure("the PowerShell scenarios need --pwsh PATH and --module PATH (bench/run gives both: tests/Tools/install.sh's pwsh, the built out/PSUpnp/<version>/PSUpnp.psd1)");
            }

            foreach (var path in new[] { Pwsh, Module })
            {
                if (!System.IO.File.Exists(path))
                {
                    throw new BenchFailure(path + " is missing (bench/run installs pwsh and builds the module)");
                }
            }
        }

        private static string ScriptPath(string script) => Path.Combine(AppContext.BaseDirectory, "scripts", script);
    }
}
