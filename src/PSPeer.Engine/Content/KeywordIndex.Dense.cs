using System.Collections.Generic;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// Bitmaps for the index's common keywords: one bit per slot, set for the slots whose names hold the keyword.
    /// </summary>
    /// <remarks>
    /// Word use is Zipf-like: a few words sit in a large share of the names, and a search that names two of them made
    /// the merge walk hundreds of thousands of postings to find a few dozen files. A keyword present in at least 1/64 of
    /// the slots (and <see cref="MinDenseCount"/> files) gets a bitmap beside its posting list; at that density the
    /// bitmap (slots/8 bytes) costs at most half the list (4 bytes a posting), so the index stays within its memory aim.
    /// Two bitmaps intersect 64 slots per AND; a rare keyword driving the search probes one bit per candidate. The
    /// posting list stays the truth (compaction rewrites it and rebuilds the bitmaps from it); bits of removed slots
    /// linger until then, and results skip them as they skip tombstones in lists.
    /// </remarks>
    public sealed partial class KeywordIndex
    {
        /// <summary>Fewest files a keyword must be in before it gets a bitmap.</summary>
        internal const int MinDenseCount = 4096;
        const int DensityShift = 6;   // a keyword in at least slots/2^6 of the slots is dense

        ulong[][] _bitmaps = new ulong[1024][];

        /// <summary>Keywords that have a bitmap now (for tests and measurements).</summary>
        internal int DenseKeywordCount
        {
            get
            {
                int n = 0;
                for (int id = 0; id < _postingIdCount; id++) if (_bitmaps[id] != null) n++;
                return n;
            }
        }

        /// <summary>Whether <paramref name="keyword"/> has a bitmap now.</summary>
        internal bool IsDense(string keyword) => _tokenIds.TryGetValue(keyword, out int id) && _bitmaps[id] != null;

        static bool IsDenseCount(int count, int slotCount) =>
            count >= MinDenseCount && ((long)count << DensityShift) >= slotCount;

        /// <summary>Keeps the keyword's bitmap in step with its list; gives it one when it has just become common.</summary>
        void NoteAppended(int id, int slot)
        {
            var bits = _bitmaps[id];
            if (bits == null)
            {
                if (IsDenseCount(_postingCounts[id], _slotCount)) _bitmaps[id] = BuildBitmap(id);
                return;
            }
            if ((slot >> 6) >= bits.Length)
            {
                System.Array.Resize(ref bits, BitmapWords());
                _bitmaps[id] = bits;
            }
            bits[slot >> 6] |= 1UL << (slot & 63);
        }

        // Sized to every slot the chunks can hold, so appends rarely grow it.
        int BitmapWords() => (_chunks.Length << ChunkBits) >> 6;

        ulong[] BuildBitmap(int id)
        {
            var bits = new ulong[BitmapWords()];
            int[] items = _postings[id];
            int count = _postingCounts[id];
            for (int i = 0; i < count; i++) bits[items[i] >> 6] |= 1UL << (items[i] & 63);
            return bits;
        }

        /// <summary>After compaction renumbered the slots: bitmaps again for the keywords common now, none for the rest.</summary>
        void RebuildBitmaps(int slotCount)
        {
            for (int id = 0; id < _postingIdCount; id++)
                _bitmaps[id] = _postings[id] != null && IsDenseCount(_postingCounts[id], slotCount) ? BuildBitmap(id) : null;
        }

        // netstandard2.0 has no BitOperations: the index of the lowest set bit by a de Bruijn multiply.
        static readonly byte[] DeBruijn64 =
        {
            0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4, 62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
            63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11, 46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6,
        };

        static int LowestBit(ulong x) => DeBruijn64[((x & (ulong)-(long)x) * 0x03f79d71b4cb0a89UL) >> 58];

        static bool HasBit(ulong[] bits, int slot)
        {
            int word = slot >> 6;
            return word < bits.Length && (bits[word] & (1UL << (slot & 63))) != 0;
        }

        /// <summary>Every keyword has a bitmap: AND them a word at a time, taking set bits in slot order (oldest first).</summary>
        int IntersectBitmaps(int[] ids, int maxResults, List<IndexedFile> results, int[] excludedLists)
        {
            int words = (_slotCount + 63) >> 6;
            for (int i = 0; i < ids.Length; i++) words = System.Math.Min(words, _bitmaps[ids[i]].Length);
            ulong[] first = _bitmaps[ids[0]];
            int added = 0;
            for (int w = 0; w < words; w++)
            {
                ulong x = first[w];
                for (int i = 1; i < ids.Length && x != 0; i++) x &= _bitmaps[ids[i]][w];
                while (x != 0)
                {
                    int slot = (w << 6) + LowestBit(x);
                    x &= x - 1;
                    if (slot >= _slotCount) return added;
                    if (TryAdd(slot, results, excludedLists) && ++added >= maxResults) return added;
                }
            }
            return added;
        }
    }
}
