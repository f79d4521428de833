using System;

namespace PSUpnp.NatPmp
{
    /// <summary>
    /// NAT-PMP requests as bytes (RFC 6886 sections 3.2 and 3.3): version 0, the opcode, then for a mapping two
    /// reserved bytes, the internal port, the suggested external port and the lifetime in seconds, all big-endian.
    /// </summary>
    internal static class NatPmpEncoder
    {
        public const byte Version = 0;

        /// <summary>The two bytes that ask for the external address.</summary>
        public static byte[] ExternalAddressRequest() => new[] { Version, (byte)NatPmpOpcode.ExternalAddress };

        /// <summary>
        /// A mapping request. <paramref name="suggestedExternalPort"/> 0 leaves the choice to the router; the lifetime
        /// must be at least one second (a lifetime of 0 is a deletion: <see cref="DeleteRequest"/>).
        /// </summary>
        public static byte[] MapRequest(PortMappingProtocol protocol, int internalPort, int suggestedExternalPort, uint lifetimeSeconds)
        {
            CheckPort(internalPort, 1, nameof(internalPort));
            CheckPort(suggestedExternalPort, 0, nameof(suggestedExternalPort));
            if (lifetimeSeconds == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(lifetimeSeconds), "A mapping needs a lifetime of at least one second; a lifetime of 0 deletes (DeleteRequest).");
            }

            return Mapping(protocol, internalPort, suggestedExternalPort, lifetimeSeconds);
        }

        /// <summary>
        /// A deletion (RFC 6886 section 3.4): lifetime 0 and suggested external port 0, the mapping named by its
        /// protocol and internal port. Internal port 0 deletes every mapping of that protocol this host holds.
        /// </summary>
        public static byte[] DeleteRequest(PortMappingProtocol protocol, int internalPort)
        {
            CheckPort(internalPort, 0, nameof(internalPort));
            return Mapping(protocol, internalPort, 0, 0);
        }

        public static NatPmpOpcode OpcodeOf(PortMappingProtocol protocol) => protocol switch
        {
            PortMappingProtocol.UDP => NatPmpOpcode.MapUdp,
            PortMappingProtocol.TCP => NatPmpOpcode.MapTcp,
            _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "NAT-PMP maps TCP or UDP."),
        };

        private static byte[] Mapping(PortMappingProtocol protocol, int internalPort, int externalPort, uint lifetimeSeconds)
        {
            var bytes = new byte[12];
            bytes[0] = Version;
            bytes[1] = (byte)OpcodeOf(protocol);
            WriteUInt16(bytes, 4, internalPort);
            WriteUInt16(bytes, 6, externalPort);
            bytes[8] = (byte)(lifetimeSeconds >> 24);
            bytes[9] = (byte)(lifetimeSeconds >> 16);
            bytes[10] = (byte)(lifetimeSeconds >> 8);
            bytes[11] = (byte)lifetimeSeconds;
            return bytes;
        }

        private static void WriteUInt16(byte[] bytes, int at, int value)
        {
            bytes[at] = (byte)(value >> 8);
            bytes[at + 1] = (byte)value;
        }

        private static void CheckPort(int port, int min, string name)
        {
            if (port < min || port > 65535)
            {
                throw new ArgumentOutOfRangeException(name, port, "A port is " + min + " to 65535.");
            }
        }
    }
}
