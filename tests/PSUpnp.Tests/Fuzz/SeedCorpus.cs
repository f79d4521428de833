using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using PSUpnp.Tests.Support;

namespace PSUpnp.Tests.Fuzz
{
    /// <summary>
    /// The seed messages of each parser: written from the specifications in Fuzz/Seeds/&lt;parser&gt; (see the README
    /// there), plus the lab miniupnpd's own captures in Fixtures/miniupnpd and Fixtures/miniupnpd-natpmp-pcp, read in place.
    /// </summary>
    internal static class SeedCorpus
    {
        public static IReadOnlyList<byte[]> Ssdp() => Written("ssdp").Concat(Captured("*.bin")).ToList();

        public static IReadOnlyList<byte[]> Description() => Written("description").Concat(Captured("rootDesc.xml")).ToList();

        /// <summary>SOAP bodies: the written ones and every captured control answer without its HTTP head.</summary>
        public static IReadOnlyList<byte[]> Soap() =>
            Written("soap").Concat(Captured("*.http").Where(c => !IsDescription(c)).Select(Body)).ToList();

        /// <summary>PortMappingList documents: the written ones and the one miniupnpd sent inside GetListOfPortMappings.</summary>
        public static IReadOnlyList<byte[]> PortMappingList() =>
            Written("portmappinglist").Concat(Captured("GetListOfPortMappings.http").Select(Listing)).ToList();

        public static IReadOnlyList<byte[]> Stun() => Written("stun").Select(FromHex).ToList();

        public static IReadOnlyList<byte[]> Http() => Written("http").Concat(Captured("*.http")).ToList();

        public static IReadOnlyList<byte[]> NatPmp() => Written("natpmp").Select(FromHex).Concat(CapturedPortControl("natpmp-*.bin")).ToList();

        public static IReadOnlyList<byte[]> Pcp() => Written("pcp").Select(FromHex).Concat(CapturedPortControl("pcp-*.bin")).ToList();

        private static IEnumerable<byte[]> Written(string parser)
        {
            var dir = RepoPaths.Combine("tests", "PSUpnp.Tests", "Fuzz", "Seeds", parser);
            return Directory.GetFiles(dir).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes);
        }

        private static IEnumerable<byte[]> Captured(string pattern) =>
            Directory.GetFiles(RepoPaths.Combine("tests", "PSUpnp.Tests", "Fixtures", "miniupnpd"), pattern).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes);

        // The answers to an unknown opcode are left out: no parser reads past an opcode its RFC does not define, and a seed must parse.
        private static IEnumerable<byte[]> CapturedPortControl(string pattern) =>
            Directory.GetFiles(RepoPaths.Combine("tests", "PSUpnp.Tests", "Fixtures", "miniupnpd-natpmp-pcp"), pattern)
                .Where(f => !f.EndsWith("-unsupported-opcode.bin", StringComparison.Ordinal))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(File.ReadAllBytes);

        private static bool IsDescription(byte[] capture) => Encoding.UTF8.GetString(capture).Contains("<root ", StringComparison.Ordinal);

        private static byte[] Body(byte[] capture)
        {
            var text = Encoding.UTF8.GetString(capture);
            return Encoding.UTF8.GetBytes(text.Substring(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4));
        }

        private static byte[] Listing(byte[] capture)
        {
            var text = Encoding.UTF8.GetString(capture);
            var start = text.IndexOf("<![CDATA[", StringComparison.Ordinal) + 9;
            return Encoding.UTF8.GetBytes(text.Substring(start, text.IndexOf("]]>", start, StringComparison.Ordinal) - start));
        }

        private static byte[] FromHex(byte[] file)
        {
            var hex = Encoding.ASCII.GetString(file).Trim();
            var bytes = new byte[hex.Length / 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = byte.Parse(hex.AsSpan(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }

            return bytes;
        }
    }
}
