using System;

namespace PSUpnp.Lab
{
    /// <summary>What a finished command printed and returned.</summary>
    public sealed class CommandResult
    {
        public CommandResult(string commandLine, int exitCode, string standardOutput, string standardError)
        {
            CommandLine = commandLine;
            ExitCode = exitCode;
            StandardOutput = standardOutput;
            StandardError = standardError;
        }

        public string CommandLine { get; }

        public int ExitCode { get; }

        public string StandardOutput { get; }

        public string StandardError { get; }

        public bool Succeeded => ExitCode == 0;

        /// <summary>Throws LabCommandException, with the command's stderr, unless it exited 0.</summary>
        public CommandResult EnsureSuccess()
        {
            if (!Succeeded)
            {
                throw new LabCommandException(this);
            }

            return this;
        }

        public override string ToString() => CommandLine + " exited " + ExitCode;
    }

    /// <summary>A lab command that failed (non-zero exit or timeout); the message carries its stderr and stdout.</summary>
    public sealed class LabCommandException : Exception
    {
        public LabCommandException(CommandResult result)
            : base("'" + result.CommandLine + "' exited " + result.ExitCode + ".\nstderr: " + result.StandardError.Trim() + "\nstdout: " + result.StandardOutput.Trim())
        {
            Result = result;
        }

        public LabCommandException(string commandLine, TimeSpan timeout, string standardOutput, string standardError)
            : base("'" + commandLine + "' did not finish within " + timeout.TotalSeconds + " s and was killed.\nstderr: " + standardError.Trim() + "\nstdout: " + standardOutput.Trim())
        {
            Result = new CommandResult(commandLine, -1, standardOutput, standardError);
        }

        public CommandResult Result { get; }
    }
}
