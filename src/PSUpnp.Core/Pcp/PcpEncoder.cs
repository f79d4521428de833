using System;
using System.Collections.Generic;
using System.Net;

namespace PSUpnp.Pcp
{
    /// <summary>
    /// PCP requests as bytes (RFC 6887 sections 7.1, 11.1 and 14.1): the 24-byte header (version 2, R = 0 and the
    /// opcode, two reserved bytes, the requested lifetime, the client's address as IPv6 or IPv4-mapped), then the
    /// opcode's data and the options, all big-endian.
    /// </summary>
    internal static class PcpEncoder
    {
        public const byte Version = 2;
        public const int HeaderLength = 24;
        public const int MapDataLength = 36;
        public const int MaxMessage = 1100;
        public const byte ProtocolTcp = 6;
        public const byte ProtocolUdp = 17;

        /// <summary>ANNOUNCE (section 14.1): lifetime 0, no data; its answer gives the server's epoch.</summary>
        public static byte[] AnnounceRequest(IPAddress clientAddress)
        {
            var bytes = new byte[HeaderLength];
            WriteHeader(bytes, PcpOpcode.Announce, 0, clientAddress);
            return bytes;
        }

        /// <summary>
        /// MAP (section 11.1). Lifetime 0 deletes the mapping this nonce, protocol and internal port made;
        /// <paramref name="suggestedExternalAddress"/> is ::ffff:0.0.0.0 or :: (<see cref="PcpAddress.AnyIPv4"/>,
        /// <see cref="IPAddress.IPv6Any"/>) when the client has no preference but the family.
        /// </summary>
        public static byte[] MapRequest(
            IPAddress clientAddress,
            uint lifetimeSeconds,
            PcpNonce nonce,
            byte protocol,
            int internalPort,
            int suggestedExternalPort,
            IPAddress suggestedExternalAddress,
            IReadOnlyCollection<PcpOption> options)
        {
            if (nonce == null || suggestedExternalAddress == null || options == null)
            {
                throw new ArgumentNullException(nonce == null ? nameof(nonce) : suggestedExternalAddress == null ? nameof(suggestedExternalAddress) : nameof(options));
            }

            CheckPort(internalPort, nameof(internalPort));
            CheckPort(suggestedExternalPort, nameof(suggestedExternalPort));
            var length = HeaderLength + MapDataLength;
            foreach (var option in options)
            {
                length += option.EncodedLength;
            }

            if (length > MaxMessage)
            {
                throw new ArgumentException("A PCP message is at most " + MaxMessage + " bytes; these options make it " + length + ".", nameof(options));
            }

            var bytes = new byte[length];
            WriteHeader(bytes, PcpOpcode.Map, lifetimeSeconds, clientAddress);
            nonce.CopyTo(bytes, HeaderLength);
            bytes[HeaderLength + 12] = protocol;
            bytes[HeaderLength + 16] = (byte)(internalPort >> 8);
            bytes[HeaderLength + 17] = (byte)internalPort;
            bytes[HeaderLength + 18] = (byte)(suggestedExternalPort >> 8);
            bytes[HeaderLength + 19] = (byte)suggestedExternalPort;
            PcpAddress.Write(suggestedExternalAddress, bytes, HeaderLength + 20);
            var at = HeaderLength + MapDataLength;
            foreach (var option in options)
            {
                option.WriteTo(bytes, at);
                at += option.EncodedLength;
            }

            return bytes;
        }

        public static byte ProtocolNumber(PortMappingProtocol protocol) => protocol switch
        {
            PortMappingProtocol.TCP => ProtocolTcp,
            PortMappingProtocol.UDP => ProtocolUdp,
            _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "PCP maps TCP or UDP here."),
        };

        private static void WriteHeader(byte[] bytes, PcpOpcode opcode, uint lifetimeSeconds, IPAddress clientAddress)
        {
            bytes[0] = Version;
            bytes[1] = (byte)opcode;
            bytes[4] = (byte)(lifetimeSeconds >> 24);
            bytes[5] = (byte)(lifetimeSeconds >> 16);
            bytes[6] = (byte)(lifetimeSeconds >> 8);
            bytes[7] = (byte)lifetimeSeconds;
            PcpAddress.Write(clientAddress ?? throw new ArgumentNullException(nameof(clientAddress)), bytes, 8);
        }

        private static void CheckPort(int port, string name)
        {
            if (port < 0 || port > 65535)
            {
                throw new ArgumentOutOfRangeException(name, port, "A port is 0 to 65535.");
            }
        }
    }
}
