using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PSUpnp.Pcp
{
    /// <summary>The options of RFC 6887 section 13 this client sends or reads.</summary>
    internal enum PcpOptionCode : byte
    {
        ThirdParty = 1,
        PreferFailure = 2,
        Filter = 3,
    }

    /// <summary>
    /// One PCP option: its code and its data (without the 4-byte header and the padding to a multiple of 4). Codes 0
    /// to 127 are mandatory to process, 128 to 255 optional (section 7.3); an option this client does not know is
    /// kept as read.
    /// </summary>
    internal sealed class PcpOption
    {
        public const int HeaderLength = 4;
        private const int ThirdPartyLength = 16;
        private const int FilterLength = 20;

        private readonly byte[] _data;

        public PcpOption(byte code, byte[] data)
        {
            Code = code;
            _data = (byte[])(data ?? throw new ArgumentNullException(nameof(data))).Clone();
        }

        public byte Code { get; }

        public int DataLength => _data.Length;

        /// <summary>Its length on the wire: the header, the data, the padding.</summary>
        public int EncodedLength => HeaderLength + Padded(_data.Length);

        /// <summary>THIRD_PARTY: the mapping is for <paramref name="internalAddress"/>, not the sender.</summary>
        public static PcpOption ThirdParty(IPAddress internalAddress)
        {
            var data = new byte[ThirdPartyLength];
            PcpAddress.Write(internalAddress, data, 0);
            return new PcpOption((byte)PcpOptionCode.ThirdParty, data);
        }

        /// <summary>PREFER_FAILURE: refuse (CANNOT_PROVIDE_EXTERNAL) rather than grant another external port.</summary>
        public static PcpOption PreferFailure() => new PcpOption((byte)PcpOptionCode.PreferFailure, new byte[0]);

        /// <summary>
        /// FILTER: only this remote peer (a prefix of <paramref name="prefixLength"/> bits of its own family; port 0
        /// for any) may use the mapping. The wire's prefix length counts the 128-bit field, so IPv4 adds 96.
        /// </summary>
        public static PcpOption Filter(IPAddress remotePeer, int prefixLength, int remotePort)
        {
            var bits = remotePeer.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            if (prefixLength < 0 || prefixLength > bits)
            {
                throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, "A prefix of an " + remotePeer.AddressFamily + " address is 0 to " + bits + " bits.");
            }

            if (remotePort < 0 || remotePort > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(remotePort), remotePort, "A port is 0 to 65535.");
            }

            var data = new byte[FilterLength];
            data[1] = (byte)(prefixLength + (128 - bits));
            data[2] = (byte)(remotePort >> 8);
            data[3] = (byte)remotePort;
            PcpAddress.Write(remotePeer, data, 4);
            return new PcpOption((byte)PcpOptionCode.Filter, data);
        }

        /// <summary>Reads one option at <paramref name="offset"/>, no further than <paramref name="end"/>; its known codes must have their length.</summary>
        public static PcpOption Read(byte[] data, int offset, int end, out int next)
        {
            if (end - offset < HeaderLength)
            {
                throw PcpException.Malformed(Text("{0} bytes after the last option, too few for an option header.", end - offset));
            }

            var code = data[offset];
            var length = (data[offset + 2] << 8) | data[offset + 3];
            next = offset + HeaderLength + Padded(length);
            if (next > end)
            {
                throw PcpException.Malformed(Text("option {0} claims {1} bytes of data; the message has {2} left.", code, length, end - offset - HeaderLength));
            }

            var expected = code switch
            {
                (byte)PcpOptionCode.ThirdParty => ThirdPartyLength,
                (byte)PcpOptionCode.PreferFailure => 0,
                (byte)PcpOptionCode.Filter => FilterLength,
                _ => length,
            };
            if (length != expected)
            {
                throw PcpException.Malformed(Text("option {0} has {1} bytes of data, not {2}.", code, length, expected));
            }

            var copy = new byte[length];
            Buffer.BlockCopy(data, offset + HeaderLength, copy, 0, length);
            return new PcpOption(code, copy);
        }

        public void WriteTo(byte[] destination, int offset)
        {
            destination[offset] = Code;
            destination[offset + 2] = (byte)(_data.Length >> 8);
            destination[offset + 3] = (byte)_data.Length;
            Buffer.BlockCopy(_data, 0, destination, offset + HeaderLength, _data.Length);
        }

        public byte[] GetData() => (byte[])_data.Clone();

        public override string ToString() => Text("option {0} ({1} bytes)", Code, _data.Length);

        private static int Padded(int length) => (length + 3) & ~3;

        private static string Text(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
    }
}
