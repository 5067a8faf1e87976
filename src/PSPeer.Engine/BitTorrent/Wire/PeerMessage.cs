using System;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// One peer wire message, immutable. Which fields mean something depends on Type:
    /// Have: Index. Request/Cancel: Index, Begin, Length. Piece: Index, Begin, Length (= DataCount) and the block in
    /// Data[DataOffset..+DataCount]. Bitfield: the wire bytes in Data. Port: Index = the DHT port. Extended: Index =
    /// the extended message id, Data = its payload. Messages without a payload are shared instances.
    /// <para>Ownership: a message made by <see cref="PeerWireReader"/> owns its Data (a fresh array, or the caller's
    /// own block buffer, see <see cref="PeerWireReader.BlockBuffer"/>); the reader never touches it again. A message
    /// given to <see cref="PeerWireWriter.Enqueue"/> is copied at once, so the caller may reuse its Data afterwards.</para>
    /// </summary>
    public sealed class PeerMessage
    {
        public static readonly PeerMessage KeepAlive = new PeerMessage(PeerMessageType.KeepAlive);
        public static readonly PeerMessage Choke = new PeerMessage(PeerMessageType.Choke);
        public static readonly PeerMessage Unchoke = new PeerMessage(PeerMessageType.Unchoke);
        public static readonly PeerMessage Interested = new PeerMessage(PeerMessageType.Interested);
        public static readonly PeerMessage NotInterested = new PeerMessage(PeerMessageType.NotInterested);

        PeerMessage(PeerMessageType type, int index = 0, int begin = 0, int length = 0, byte[] data = null, int dataOffset = 0, int dataCount = 0)
        {
            Type = type;
            Index = index;
            Begin = begin;
            Length = length;
            Data = data;
            DataOffset = dataOffset;
            DataCount = dataCount;
        }

        public PeerMessageType Type { get; }
        public int Index { get; }
        public int Begin { get; }
        public int Length { get; }
        public byte[] Data { get; }
        public int DataOffset { get; }
        public int DataCount { get; }

        /// <summary>Bytes this message takes on the wire, length prefix included.</summary>
        public int WireLength
        {
            get
            {
                switch (Type)
                {
                    case PeerMessageType.KeepAlive: return 4;
                    case PeerMessageType.Have: return 9;
                    case PeerMessageType.Request:
                    case PeerMessageType.Cancel: return 17;
                    case PeerMessageType.Piece: return 4 + BitTorrentConstants.PieceHeaderLength + DataCount;
                    case PeerMessageType.Port: return 7;
                    case PeerMessageType.Extended: return 6 + DataCount;
                    case PeerMessageType.Bitfield: return 5 + DataCount;
                    default: return 5;
                }
            }
        }

        public static PeerMessage Have(int index) => new PeerMessage(PeerMessageType.Have, CheckIndex(index));

        public static PeerMessage BitfieldOf(Bitfield bitfield)
        {
            if (bitfield == null) throw new ArgumentNullException(nameof(bitfield));
            var bytes = bitfield.ToBytes();
            return new PeerMessage(PeerMessageType.Bitfield, data: bytes, dataCount: bytes.Length);
        }

        public static PeerMessage Request(int index, int begin, int length) =>
            new PeerMessage(PeerMessageType.Request, CheckIndex(index), CheckBegin(begin), CheckLength(length));

        public static PeerMessage Cancel(int index, int begin, int length) =>
            new PeerMessage(PeerMessageType.Cancel, CheckIndex(index), CheckBegin(begin), CheckLength(length));

        /// <summary>A block: <paramref name="data"/> is referenced, not copied, until the message is enqueued or read.</summary>
        public static PeerMessage Piece(int index, int begin, byte[] data, int offset, int count)
        {
            CheckSegment(data, offset, count);
            return new PeerMessage(PeerMessageType.Piece, CheckIndex(index), CheckBegin(begin), count, data, offset, count);
        }

        public static PeerMessage Port(int port)
        {
            if (port < 0 || port > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(port));
            return new PeerMessage(PeerMessageType.Port, port);
        }

        /// <summary>A BEP 10 message: <paramref name="extendedId"/> 0 is the extension handshake.</summary>
        public static PeerMessage Extended(byte extendedId, byte[] payload, int offset, int count)
        {
            CheckSegment(payload, offset, count);
            return new PeerMessage(PeerMessageType.Extended, extendedId, data: payload, dataOffset: offset, dataCount: count);
        }

        // Made by the reader after it has validated the wire fields.
        internal static PeerMessage FromWire(PeerMessageType type, int index, int begin, int length, byte[] data, int dataOffset, int dataCount) =>
            new PeerMessage(type, index, begin, length, data, dataOffset, dataCount);

        static int CheckIndex(int index) => index >= 0 ? index : throw new ArgumentOutOfRangeException(nameof(index));
        static int CheckBegin(int begin) => begin >= 0 ? begin : throw new ArgumentOutOfRangeException(nameof(begin));
        static int CheckLength(int length) => length > 0 ? length : throw new ArgumentOutOfRangeException(nameof(length));

        static void CheckSegment(byte[] data, int offset, int count)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            if (offset < 0 || count < 0 || offset > data.Length - count) throw new ArgumentOutOfRangeException(nameof(count));
        }

        public override string ToString()
        {
            switch (Type)
            {
                case PeerMessageType.Have: return $"Have {Index}";
                case PeerMessageType.Request:
                case PeerMessageType.Cancel: return $"{Type} {Index}:{Begin}+{Length}";
                case PeerMessageType.Piece: return $"Piece {Index}:{Begin}+{DataCount}";
                case PeerMessageType.Bitfield: return $"Bitfield ({DataCount} bytes)";
                case PeerMessageType.Port: return $"Port {Index}";
                case PeerMessageType.Extended: return $"Extended {Index} ({DataCount} bytes)";
                default: return Type.ToString();
            }
        }
    }
}
