using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Lab
{
    /// <summary>Runs one program to completion with a bound, capturing both streams.</summary>
    public static class ProcessRunner
    {
        private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(5);

        public static async Task<CommandResult> RunAsync(
            string program,
            IReadOnlyList<string> arguments,
            IReadOnlyDictionary<string, string> environment,
            TimeSpan timeout,
            CancellationToken cancellationToken)
        {
            var startInfo = new ProcessStartInfo(program)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            foreach (var pair in environment)
            {
                startInfo.Environment[pair.Key] = pair.Value;
            }

            var commandLine = program + " " + string.Join(" ", arguments.Select(Quote));
            using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start " + commandLine);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw new LabCommandException(commandLine, timeout, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
            }

            try
            {
                // A daemon that inherited the pipes would keep them open for ever: bound the wait for end of output.
                await Task.WhenAll(stdout, stderr).WaitAsync(OutputGrace, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new LabCommandException(commandLine, OutputGrace, "(a child still holds stdout open)", string.Empty);
            }

            return new CommandResult(commandLine, process.ExitCode, stdout.Result, stderr.Result);
        }

        private static string Quote(string argument) =>
            argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./:=@%+,".IndexOf(c) >= 0)
                ? argument
                : "'" + argument.Replace("'", "'\\''") + "'";
    }
}
