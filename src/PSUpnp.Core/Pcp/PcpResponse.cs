using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace PSUpnp.Pcp
{
    /// <summary>
    /// A PCP answer read from its bytes alone (RFC 6887 sections 7.2, 11.1, 14.1): version, R bit and opcode, the
    /// result code, the lifetime, the server's epoch, then the opcode's data and the options. A refusal may be the
    /// header alone. Version negotiation is an answer of its own kind (<see cref="IsUnsupportedVersion"/>): a PCP
    /// UNSUPP_VERSION of any version, or the 8-byte "unsupported version" answer of a NAT-PMP-only server (version
    /// 0, result 1), which tells the client to speak NAT-PMP. Whether it answers the request sent is the client's
    /// question, not the parser's.
    /// </summary>
    internal sealed class PcpResponse
    {
        private const int NatPmpHeaderLength = 8;

        private PcpResponse(byte version, PcpOpcode opcode, PcpResultCode resultCode, uint lifetimeSeconds, uint epoch)
        {
            Version = version;
            Opcode = opcode;
            ResultCode = resultCode;
            LifetimeSeconds = lifetimeSeconds;
            Epoch = epoch;
        }

        /// <summary>2, or for an unsupported-version answer the version the server speaks (0: NAT-PMP).</summary>
        public byte Version { get; }

        public PcpOpcode Opcode { get; }

        public PcpResultCode ResultCode { get; }

        /// <summary>The mapping's lifetime; for a refusal, how long the router means the refusal to hold.</summary>
        public uint LifetimeSeconds { get; }

        /// <summary>The server's epoch in seconds (RFC 6887 section 8.5).</summary>
        public uint Epoch { get; }

        public bool IsUnsupportedVersion => ResultCode == PcpResultCode.UnsupportedVersion;

        /// <summary>True for a refusal that carries the header alone (it cannot echo the request's nonce).</summary>
        public bool IsHeaderOnly { get; private set; } = true;

        /// <summary>A MAP answer's data: the echoed nonce, protocol and internal port, the assigned external port and address.</summary>
        public PcpNonce? Nonce { get; private set; }

        public byte Protocol { get; private set; }

        public int InternalPort { get; private set; }

        public int ExternalPort { get; private set; }

        public IPAddress? ExternalAddress { get; private set; }

        public IReadOnlyList<PcpOption> Options { get; private set; } = Array.Empty<PcpOption>();

        /// <summary>Reads one answer; anything else is a <see cref="PcpException"/> with ErrorId PcpMalformedResponse.</summary>
        public static PcpResponse Parse(byte[] data, int offset, int count)
        {
            if (data == null || offset < 0 || count < 0 || offset + count > data.Length)
            {
                throw new ArgumentException("The range lies outside the buffer.");
            }

            if (count >= NatPmpHeaderLength && data[offset] == 0)
            {
                return ParseNatPmp(data, offset, count);
            }

            if (count < PcpEncoder.HeaderLength)
            {
                throw PcpException.Malformed(Text("{0} bytes; an answer has at least {1}.", count, PcpEncoder.HeaderLength));
            }

            if (count > PcpEncoder.MaxMessage || count % 4 != 0)
            {
                throw PcpException.Malformed(Text("{0} bytes; an answer is a multiple of 4 bytes, at most {1}.", count, PcpEncoder.MaxMessage));
            }

            var version = data[offset];
            if ((data[offset + 1] & 0x80) == 0)
            {
                throw PcpException.Malformed("the R bit is clear: it is a request, not an answer.");
            }

            var opcode = (PcpOpcode)(data[offset + 1] & 0x7F);
            var resultCode = (PcpResultCode)data[offset + 3];
            var response = new PcpResponse(version, opcode, resultCode, ReadUInt32(data, offset + 4), ReadUInt32(data, offset + 8));
            if (version != PcpEncoder.Version)
            {
                // Section 9: a server answers a version it does not speak with UNSUPP_VERSION and the version it does.
                if (resultCode == PcpResultCode.UnsupportedVersion)
                {
                    return response;
                }

                throw PcpException.Malformed(Text("version {0} with result code {1}; only version {2} answers are read.", version, (int)resultCode, PcpEncoder.Version));
            }

            var dataLength = opcode switch
            {
                PcpOpcode.Announce => 0,
                PcpOpcode.Map => PcpEncoder.MapDataLength,
                PcpOpcode.Peer => PcpEncoder.MapDataLength + 20,
                _ => -1,
            };
            if (dataLength < 0)
            {
                throw PcpException.Malformed(Text("opcode {0} is not one RFC 6887 defines.", (int)opcode));
            }

            var body = offset + PcpEncoder.HeaderLength;
            var end = offset + count;
            if (count == PcpEncoder.HeaderLength && dataLength > 0)
            {
                if (resultCode == PcpResultCode.Success)
                {
                    throw PcpException.Malformed(Text("a successful answer to opcode {0} without its {1} bytes of data.", (int)opcode, dataLength));
                }

                return response;
            }

            if (end - body < dataLength)
            {
                throw PcpException.Malformed(Text("{0} bytes after the header; opcode {1} needs {2}.", end - body, (int)opcode, dataLength));
            }

            response.IsHeaderOnly = false;
            if (opcode != PcpOpcode.Announce)
            {
                response.Nonce = PcpNonce.FromBytes(data, body);
                response.Protocol = data[body + 12];
                response.InternalPort = ReadUInt16(data, body + 16);
                response.ExternalPort = ReadUInt16(data, body + 18);
                response.ExternalAddress = PcpAddress.Read(data, body + 20);
            }

            var options = new List<PcpOption>();
            for (var at = body + dataLength; at < end;)
            {
                options.Add(PcpOption.Read(data, at, end, out at));
            }

            response.Options = options;
            return response;
        }

        /// <summary>A NAT-PMP server's answer to a PCP request: version 0, an answer opcode, result 1 (RFC 6887 section 9).</summary>
        private static PcpResponse ParseNatPmp(byte[] data, int offset, int count)
        {
            var resultCode = ReadUInt16(data, offset + 2);
            if (resultCode != (int)PcpResultCode.UnsupportedVersion)
            {
                throw PcpException.Malformed(Text("a NAT-PMP answer (version 0) with result code {0}, not the unsupported-version answer to a PCP request.", resultCode));
            }

            return new PcpResponse(0, (PcpOpcode)(data[offset + 1] & 0x7F), PcpResultCode.UnsupportedVersion, 0, ReadUInt32(data, offset + 4));
        }

        private static int ReadUInt16(byte[] data, int at) => (data[at] << 8) | data[at + 1];

        private static uint ReadUInt32(byte[] data, int at) =>
            ((uint)data[at] << 24) | ((uint)data[at + 1] << 16) | ((uint)data[at + 2] << 8) | data[at + 3];

        private static string Text(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
    }
}
