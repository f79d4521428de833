using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Surface
{
    /// <summary>
    /// Issue 3: examples "that work". Without PowerShell they cannot be run here, so every call of a PSUpnp cmdlet in the
    /// help pages, the about topic and the README is checked against the cmdlet's real parameters: each -Name exists
    /// (or is a common parameter), each takes the value it is given, enum values are members, ports are in range, a
    /// lease is not a bare number (PowerShell reads it as ticks), and no more positional values than positions.
    /// </summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class ExampleTests
    {
        private static readonly string[] CommonParameters =
        {
            "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
            "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
        };

        private readonly BuiltModule _module;

        public ExampleTests(BuiltModule module) => _module = module;

        public static IEnumerable<object[]> Documents() =>
            Directory.GetFiles(HelpFile.Directory, "*.md").Append(RepoPaths.Combine("README.md"))
                .Select(f => new object[] { Path.GetRelativePath(RepoPaths.RepoRoot, f) })
                .OrderBy(f => (string)f[0], StringComparer.Ordinal);

        [Theory]
        [MemberData(nameof(Documents))]
        public void EveryCallInTheExamplesUsesRealParametersWithFittingValues(string document)
        {
            var names = new HashSet<string>(_module.Commands.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
            var calls = PowerShellBlocks(File.ReadAllText(RepoPaths.Combine(document)))
                .SelectMany(block => CommandLines.Find(HelpFile.WithoutPrompt(block), names))
                .ToList();
            if (!document.StartsWith("README", StringComparison.Ordinal))
            {
                Assert.True(calls.Count >= 2, $"{document}: {calls.Count} calls of PSUpnp cmdlets in its examples");
            }

            var problems = calls.SelectMany(call => Problems(_module.Commands.Single(c => string.Equals(c.Name, call.Name, StringComparison.OrdinalIgnoreCase)), call)).ToList();
            Assert.True(problems.Count == 0, document + ":\n" + string.Join("\n", problems));
        }

        [Fact]
        public void TheCheckFindsWhatABrokenExampleGetsWrong()
        {
            var add = _module.Commands.Single(c => c.Name == "Add-UpnpPortMapping");
            var names = new HashSet<string>(new[] { add.Name }, StringComparer.OrdinalIgnoreCase);
            string[] Check(string script) => CommandLines.Find(script, names).SelectMany(call => Problems(add, call)).ToArray();

            Assert.Empty(Check("Find-UpnpGateway | Add-UpnpPortMapping 8080 22 -Protocol Both -LeaseDuration (New-TimeSpan -Hours 1) -Confirm:$false -Verbose"));
            Assert.Empty(Check("$m = Add-UpnpPortMapping -ExternalPort 80 `\n  -Description 'a | b; c' -LeaseDuration '01:00:00' -RemoteHost 203.0.113.9"));
            Assert.Contains(Check("Add-UpnpPortMapping -Port 8080"), p => p.Contains("-Port", StringComparison.Ordinal));
            Assert.Contains(Check("Add-UpnpPortMapping 8080 -Protocol SCTP"), p => p.Contains("SCTP", StringComparison.Ordinal));
            Assert.Contains(Check("Add-UpnpPortMapping 8080 -LeaseDuration 3600"), p => p.Contains("ticks", StringComparison.Ordinal));
            Assert.Contains(Check("Add-UpnpPortMapping 70000"), p => p.Contains("70000", StringComparison.Ordinal));
            Assert.Contains(Check("Add-UpnpPortMapping 8080 22 33"), p => p.Contains("positional", StringComparison.Ordinal));
            Assert.Contains(Check("Get-Thing | ForEach-Object { Add-UpnpPortMapping 8080 -Force -Gatway $g }"), p => p.Contains("-Gatway", StringComparison.Ordinal));
            Assert.Contains(Check("Add-UpnpPortMapping 8080 -Description"), p => p.Contains("no value", StringComparison.Ordinal));
        }

        private static IEnumerable<string> PowerShellBlocks(string markdown) =>
            Regex.Matches(markdown, @"^```powershell\r?\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline).Select(m => m.Groups[1].Value);

        private static IEnumerable<string> Problems(CmdletInfo command, CommandLine call)
        {
            var positional = 0;
            var args = call.Arguments;
            for (var i = 0; i < args.Count; i++)
            {
                var match = Regex.Match(args[i], @"^-([A-Za-z][A-Za-z0-9]*)(:(.*))?$");
                if (!match.Success)
                {
                    positional++;
                    continue;
                }

                var name = match.Groups[1].Value;
                var parameter = command.Parameters.SingleOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                var isSwitch = parameter?.TypeName == "SwitchParameter"
                    || name is "Verbose" or "Debug"
                    || (command.SupportsShouldProcess && name is "WhatIf" or "Confirm");
                if (parameter == null && !isSwitch && !CommonParameters.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    yield return $"{call}: {command.Name} has no parameter -{name}";
                    continue;
                }

                if (isSwitch || match.Groups[2].Success)
                {
                    continue;
                }

                if (i + 1 >= args.Count || args[i + 1].StartsWith("-", StringComparison.Ordinal) && !Regex.IsMatch(args[i + 1], @"^-\d"))
                {
                    yield return $"{call}: -{name} has no value";
                    continue;
                }

                var value = args[++i];
                if (parameter != null && ValueProblem(parameter, value) is string problem)
                {
                    yield return $"{call}: -{name} {value}: {problem}";
                }
            }

            var positions = command.Parameters.Count(p => p.Position.HasValue);
            if (positional > positions)
            {
                yield return $"{call}: {positional} positional values, but {command.Name} has {positions} positional parameters";
            }

            foreach (var problem in PositionalValueProblems(command, args))
            {
                yield return $"{call}: {problem}";
            }
        }

        /// <summary>Values given by position are checked against the parameter at that position.</summary>
        private static IEnumerable<string> PositionalValueProblems(CmdletInfo command, IReadOnlyList<string> args)
        {
            var values = new List<string>();
            for (var i = 0; i < args.Count; i++)
            {
                var match = Regex.Match(args[i], @"^-([A-Za-z][A-Za-z0-9]*)(:.*)?$");
                if (match.Success)
                {
                    var parameter = command.Parameters.SingleOrDefault(p => string.Equals(p.Name, match.Groups[1].Value, StringComparison.OrdinalIgnoreCase));
                    var takesValue = parameter != null && parameter.TypeName != "SwitchParameter" && !match.Groups[2].Success;
                    var common = parameter == null && CommonParameters.Contains(match.Groups[1].Value, StringComparer.OrdinalIgnoreCase)
                        && match.Groups[1].Value is not ("Verbose" or "Debug") && !match.Groups[2].Success;
                    i += takesValue || common ? 1 : 0;
                    continue;
                }

                values.Add(args[i]);
            }

            var byPosition = command.Parameters.Where(p => p.Position.HasValue).OrderBy(p => p.Position).ToList();
            for (var i = 0; i < Math.Min(values.Count, byPosition.Count); i++)
            {
                if (ValueProblem(byPosition[i], values[i]) is string problem)
                {
                    yield return $"{values[i]} (position {i}, -{byPosition[i].Name}): {problem}";
                }
            }
        }

        private static string? ValueProblem(ParameterInfo parameter, string value)
        {
            var literal = value.Trim('\'', '"');
            var isLiteral = !value.StartsWith("$", StringComparison.Ordinal) && !value.StartsWith("(", StringComparison.Ordinal) && !value.StartsWith("@", StringComparison.Ordinal);
            if (!isLiteral)
            {
                return null;
            }

            var type = parameter.Property.PropertyType;
            if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1")
            {
                type = type.GetGenericArguments()[0];
            }

            if (type.IsEnum)
            {
                return type.GetEnumNames().Contains(literal, StringComparer.OrdinalIgnoreCase) ? null : "not one of " + string.Join(", ", type.GetEnumNames());
            }

            if (parameter.Name.EndsWith("Port", StringComparison.Ordinal))
            {
                return literal.Split(',').All(p => int.TryParse(p.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port >= 1 && port <= 65535)
                    ? null
                    : "not a port from 1 to 65535";
            }

            if (type.FullName == "System.TimeSpan")
            {
                if (value == "0")
                {
                    return null;
                }

                return Regex.IsMatch(value, @"^\d+$")
                    ? "a bare number is read as ticks; write '01:00:00' or (New-TimeSpan -Hours 1)"
                    : TimeSpan.TryParse(literal, CultureInfo.InvariantCulture, out _) ? null : "not a TimeSpan";
            }

            if (type.FullName == "System.Net.IPAddress")
            {
                return System.Net.IPAddress.TryParse(literal, out _) ? null : "not an IP address";
            }

            if (type.FullName == "System.Uri")
            {
                return Uri.TryCreate(literal, UriKind.Absolute, out _) ? null : "not an absolute URL";
            }

            if (type.FullName == "System.Int32" && !parameter.Name.EndsWith("Port", StringComparison.Ordinal))
            {
                return int.TryParse(literal, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "not a number";
            }

            return null;
        }
    }
}
