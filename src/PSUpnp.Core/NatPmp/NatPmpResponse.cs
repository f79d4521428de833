using System.Globalization;
using System.Net;

namespace PSUpnp.NatPmp
{
    /// <summary>
    /// A NAT-PMP answer read from its bytes alone (RFC 6886 sections 3.2 to 3.5): version 0, the request's opcode plus
    /// 128, the result code and the seconds since the start of the router's epoch, then the body of that opcode (12
    /// bytes in all for the external address, 16 for a mapping). A refusal may be the 8-byte header alone. Whether it
    /// answers the request that was sent is the client's question, not the parser's.
    /// </summary>
    internal sealed class NatPmpResponse
    {
        public const int HeaderLength = 8;
        public const int ExternalAddressLength = 12;
        public const int MappingLength = 16;

        private NatPmpResponse(NatPmpOpcode requestOpcode, NatPmpResultCode resultCode, uint epoch, IPAddress? externalAddress, int internalPort, int externalPort, uint lifetimeSeconds, bool headerOnly)
        {
            RequestOpcode = requestOpcode;
            ResultCode = resultCode;
            Epoch = epoch;
            ExternalAddress = externalAddress;
            InternalPort = internalPort;
            ExternalPort = externalPort;
            LifetimeSeconds = lifetimeSeconds;
            IsHeaderOnly = headerOnly;
        }

        /// <summary>The opcode of the request this answers (the answer's opcode minus 128).</summary>
        public NatPmpOpcode RequestOpcode { get; }

        public NatPmpResultCode ResultCode { get; }

        /// <summary>Seconds since the start of the router's epoch (RFC 6886 section 3.6).</summary>
        public uint Epoch { get; }

        /// <summary>The external address of a successful external-address answer; null otherwise (RFC: ignored on error).</summary>
        public IPAddress? ExternalAddress { get; }

        /// <summary>A mapping answer's internal port, external port and lifetime (undefined by the RFC when refused).</summary>
        public int InternalPort { get; }

        public int ExternalPort { get; }

        public uint LifetimeSeconds { get; }

        /// <summary>True for a refusal that carries the header alone.</summary>
        public bool IsHeaderOnly { get; }

        /// <summary>Reads one answer; anything else is a <see cref="NatPmpException"/> with ErrorId NatPmpMalformedResponse.</summary>
        public static NatPmpResponse Parse(byte[] data, int offset, int count)
        {
            if (data == null || offset < 0 || count < 0 || offset + count > data.Length)
            {
                throw new System.ArgumentException("The range lies outside the buffer.");
            }

            if (count < HeaderLength)
            {
                throw NatPmpException.Malformed(Text("{0} bytes; an answer has at least {1} (version, opcode, result code, epoch).", count, HeaderLength));
            }

            var version = data[offset];
            if (version != NatPmpEncoder.Version)
            {
                throw NatPmpException.Malformed(Text("version {0}; NAT-PMP answers carry version 0.", version));
            }

            var resultCode = (NatPmpResultCode)ReadUInt16(data, offset + 2);
            var epoch = ReadUInt32(data, offset + 4);
            var opcode = data[offset + 1];

            // RFC 6886 printed the "Unsupported Version" answer with opcode 0; its errata 3618 makes it 128. Both mean it.
            if (opcode == 0 && resultCode == NatPmpResultCode.UnsupportedVersion && count == HeaderLength)
            {
                return new NatPmpResponse(NatPmpOpcode.ExternalAddress, resultCode, epoch, null, 0, 0, 0, true);
            }

            if (opcode < 128)
            {
                throw NatPmpException.Malformed(Text("opcode {0} is a request, not an answer.", opcode));
            }

            if (opcode - 128 > (int)NatPmpOpcode.MapTcp)
            {
                throw NatPmpException.Malformed(Text("opcode {0} answers no request RFC 6886 defines.", opcode));
            }

            var requestOpcode = (NatPmpOpcode)(opcode - 128);
            var fullLength = requestOpcode == NatPmpOpcode.ExternalAddress ? ExternalAddressLength : MappingLength;
            if (count == HeaderLength && resultCode != NatPmpResultCode.Success)
            {
                return new NatPmpResponse(requestOpcode, resultCode, epoch, null, 0, 0, 0, true);
            }

            if (count != fullLength)
            {
                throw NatPmpException.Malformed(Text("{0} bytes; an answer to opcode {1} has {2}.", count, (int)requestOpcode, fullLength));
            }

            if (requestOpcode == NatPmpOpcode.ExternalAddress)
            {
                var address = resultCode == NatPmpResultCode.Success
                    ? new IPAddress(new[] { data[offset + 8], data[offset + 9], data[offset + 10], data[offset + 11] })
                    : null;
                return new NatPmpResponse(requestOpcode, resultCode, epoch, address, 0, 0, 0, false);
            }

            return new NatPmpResponse(
                requestOpcode,
                resultCode,
                epoch,
                null,
                ReadUInt16(data, offset + 8),
                ReadUInt16(data, offset + 10),
                ReadUInt32(data, offset + 12),
                false);
        }

        private static int ReadUInt16(byte[] data, int at) => (data[at] << 8) | data[at + 1];

        private static uint ReadUInt32(byte[] data, int at) =>
            ((uint)data[at] << 24) | ((uint)data[at + 1] << 16) | ((uint)data[at + 2] << 8) | data[at + 3];

        private static string Text(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
    }
}
