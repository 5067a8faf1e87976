using System.Text;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// A file as a <see cref="KeywordIndex"/> holds it: a copy of the slot (name bytes are shared, never changed).
    /// Stays valid after the index changes, since it copies the fields.
    /// </summary>
    public readonly struct IndexedFile
    {
        readonly ulong _h0, _h1;
        readonly uint _h2;

        internal IndexedFile(int slot, int peerId, int fileIndex, long size, byte[] nameUtf8, ulong h0, ulong h1, uint h2)
        {
            Slot = slot; PeerId = peerId; FileIndex = fileIndex; Size = size; NameUtf8 = nameUtf8; _h0 = h0; _h1 = h1; _h2 = h2;
        }

        public int Slot { get; }
        public int PeerId { get; }
        /// <summary>The file's index on its peer (-1 when the peer did not say).</summary>
        public int FileIndex { get; }
        public long Size { get; }
        /// <summary>The name as UTF-8 bytes, as stored; do not modify.</summary>
        public byte[] NameUtf8 { get; }
        public string Name => Encoding.UTF8.GetString(NameUtf8);

        public ContentHash ContentHash
        {
            get
            {
                var bytes = new byte[20];
                CopyHashTo(bytes, 0);
                return new ContentHash(bytes);
            }
        }

        /// <summary>Writes the 20 SHA-1 bytes without allocating.</summary>
        public void CopyHashTo(byte[] destination, int offset)
        {
            for (int i = 0; i < 8; i++) destination[offset + i] = (byte)(_h0 >> (56 - 8 * i));
            for (int i = 0; i < 8; i++) destination[offset + 8 + i] = (byte)(_h1 >> (56 - 8 * i));
            for (int i = 0; i < 4; i++) destination[offset + 16 + i] = (byte)(_h2 >> (24 - 8 * i));
        }

        public override string ToString() => $"{Name} ({Size} bytes, peer {PeerId})";
    }
}
