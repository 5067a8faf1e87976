using System;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// The 68-byte BEP 3 handshake: pstrlen 19, "BitTorrent protocol", 8 reserved bytes (extension bits), the
    /// 20-byte info-hash and the 20-byte peer id.
    /// </summary>
    public sealed class Handshake
    {
        public const int Length = 68;
        const int ReservedOffset = 20;
        const int InfoHashOffset = 28;
        const int PeerIdOffset = 48;

        byte[] _reserved = new byte[8];

        public Handshake(InfoHash infoHash, byte[] peerId)
        {
            if (peerId == null) throw new ArgumentNullException(nameof(peerId));
            if (peerId.Length != 20) throw new ArgumentException("A peer id is 20 bytes.", nameof(peerId));
            InfoHash = infoHash;
            PeerId = (byte[])peerId.Clone();
        }

        public InfoHash InfoHash { get; }
        public byte[] PeerId { get; }

        /// <summary>The 8 reserved bytes (extension bits); a copy in and out.</summary>
        public byte[] Reserved
        {
            get => (byte[])_reserved.Clone();
            set
            {
                if (value == null) throw new ArgumentNullException(nameof(value));
                if (value.Length != 8) throw new ArgumentException("The reserved field is 8 bytes.", nameof(value));
                _reserved = (byte[])value.Clone();
            }
        }

        /// <summary>BEP 10 extension protocol: bit 0x10 of reserved byte 5.</summary>
        public bool SupportsExtensionProtocol
        {
            get => (_reserved[5] & 0x10) != 0;
            set => _reserved[5] = (byte)(value ? _reserved[5] | 0x10 : _reserved[5] & ~0x10);
        }

        /// <summary>BEP 6 fast extension: bit 0x04 of reserved byte 7 (we do not implement it, but show what peers offer).</summary>
        public bool SupportsFastExtension => (_reserved[7] & 0x04) != 0;

        /// <summary>BEP 5 DHT: bit 0x01 of reserved byte 7.</summary>
        public bool SupportsDht => (_reserved[7] & 0x01) != 0;

        public byte[] ToBytes()
        {
            var bytes = new byte[Length];
            CopyTo(bytes, 0);
            return bytes;
        }

        public void CopyTo(byte[] buffer, int offset)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0 || offset > buffer.Length - Length) throw new ArgumentOutOfRangeException(nameof(offset));
            buffer[offset] = (byte)BitTorrentConstants.ProtocolName.Length;
            for (int i = 0; i < BitTorrentConstants.ProtocolName.Length; i++) buffer[offset + 1 + i] = (byte)BitTorrentConstants.ProtocolName[i];
            Buffer.BlockCopy(_reserved, 0, buffer, offset + ReservedOffset, 8);
            InfoHash.CopyTo(buffer, offset + InfoHashOffset);
            Buffer.BlockCopy(PeerId, 0, buffer, offset + PeerIdOffset, 20);
        }

        /// <summary>Reads 68 bytes; PeerWireException when the protocol string is not BEP 3's.</summary>
        public static Handshake Parse(byte[] data, int offset)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            if (offset < 0 || offset > data.Length - Length) throw new PeerWireException($"a handshake is {Length} bytes");
            bool ok = data[offset] == BitTorrentConstants.ProtocolName.Length;
            for (int i = 0; ok && i < BitTorrentConstants.ProtocolName.Length; i++)
                ok = data[offset + 1 + i] == (byte)BitTorrentConstants.ProtocolName[i];
            if (!ok) throw new PeerWireException("the handshake does not start with 19 \"BitTorrent protocol\" (not a BitTorrent peer)");
            var peerId = new byte[20];
            Buffer.BlockCopy(data, offset + PeerIdOffset, peerId, 0, 20);
            var reserved = new byte[8];
            Buffer.BlockCopy(data, offset + ReservedOffset, reserved, 0, 8);
            return new Handshake(new InfoHash(data, offset + InfoHashOffset), peerId) { _reserved = reserved };
        }
    }
}
