using System;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// QRP patch (variant 0x01): sequence number (1-based) and size, compressor (0 none, 1 zlib), bits per entry
    /// (4 or 8), and a slice of the (compressed) array of signed deltas. The slices of one sequence are concatenated
    /// before decompressing.
    /// </summary>
    /// <remarks>
    /// A patch decoded from a payload array nobody changes afterwards (a link's read loop) keeps its data as that
    /// array's tail rather than a copy of it (<see cref="SetData"/>): a network build decodes a patch for every link a
    /// leaf makes, and the copy was its second array. <see cref="Data"/> still hands out an array of exactly the data,
    /// made when first asked for; the receiving table reads the slice where it is.
    /// </remarks>
    public sealed class QrpPatch : RouteTableUpdate
    {
        public const byte NoCompressor = 0;
        public const byte ZlibCompressor = 1;
        public byte SequenceNumber { get; set; }
        public byte SequenceSize { get; set; }
        public byte Compressor { get; set; }
        public byte EntryBits { get; set; }

        // The data is _data[_offset .. _offset + _count). Empty until set (one shared empty array: the decoder sets every
        // patch's data at once).
        byte[] _data = NoData;
        int _offset, _count;
        static readonly byte[] NoData = new byte[0];

        /// <summary>The (compressed) deltas this patch carries, as an array of exactly them.</summary>
        public byte[] Data
        {
            get
            {
                if (_offset != 0 || _count != _data.Length)
                {
                    var exact = new byte[_count];
                    Buffer.BlockCopy(_data, _offset, exact, 0, _count);
                    _data = exact;
                    _offset = 0;
                }
                return _data;
            }
            set
            {
                _data = value ?? NoData;
                _offset = 0;
                _count = _data.Length;
            }
        }

        /// <summary>The data is <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>, which nobody changes afterwards.</summary>
        internal void SetData(byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0 || count < 0 || offset + count > buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
            _data = buffer;
            _offset = offset;
            _count = count;
        }

        /// <summary>The array the data is in, from <see cref="DataOffset"/>, <see cref="DataCount"/> bytes (only read).</summary>
        internal byte[] DataBuffer => _data;
        internal int DataOffset => _offset;
        internal int DataCount => _count;
    }
}
