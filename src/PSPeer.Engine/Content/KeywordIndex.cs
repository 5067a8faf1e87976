using System;
using System.Collections.Generic;
using System.Text;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// An in-memory inverted index of file names by keyword, sized for a central index of a million files.
    /// </summary>
    /// <remarks>
    /// Layout, chosen to stay well under 300 bytes a file:
    /// <list type="bullet">
    /// <item>Files live in slots: a struct per slot (name as UTF-8 bytes, size, the 20 hash bytes inline, peer, file
    /// index) in fixed 64K-slot chunks, so growing never copies the whole table.</item>
    /// <item>Each keyword maps to a posting list: an int array of slots grown by doubling. Slots are handed out in
    /// increasing order, so every posting list is sorted and an AND search walks the shortest list and gallops
    /// through the others.</item>
    /// <item>Removing a file only tombstones its slot (searches skip it). When tombstones outnumber live files the
    /// index compacts: live slots move down in order, posting lists are rewritten through the old-to-new map (still
    /// sorted), and keywords left with no files are dropped. So removing a peer costs its own file count now and
    /// an amortised share of one linear pass later.</item>
    /// <item>Each peer keeps the list of its slots, for RemovePeer and Remove.</item>
    /// <item>Keywords in more than 1/64 of the slots also get a bitmap over the slots (KeywordIndex.Dense.cs), so two
    /// common words intersect a word at a time and a rare word probes a common one's bit instead of merging lists.</item>
    /// </list>
    /// Not thread-safe: the owner serialises writers against readers (the index server uses a reader-writer lock).
    /// </remarks>
    public sealed partial class KeywordIndex
    {
        const int ChunkBits = 16;
        const int ChunkSize = 1 << ChunkBits;
        const int ChunkMask = ChunkSize - 1;
        const int MinDeadForCompaction = 1024;

        struct Entry
        {
            public byte[] Name;   // null once removed
            public long Size;
            public ulong H0, H1;  // the SHA-1, big-endian, inline rather than a 20-byte array and its header
            public uint H2;
            public int Peer;      // -1 once removed
            public int FileIndex;
        }

        sealed class SlotList
        {
            public int[] Items = new int[4];
            public int Count;
            public void Add(int slot)
            {
                if (Count == Items.Length) Array.Resize(ref Items, Items.Length * 2);
                Items[Count++] = slot;
            }
        }

        Entry[][] _chunks = new Entry[1][];
        int _slotCount;
        int _live;
        int _dead;

        readonly Dictionary<string, int> _tokenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        int[][] _postings = new int[1024][];
        int[] _postingCounts = new int[1024];
        string[] _postingTokens = new string[1024];
        int _postingIdCount;
        readonly Stack<int> _freePostingIds = new Stack<int>();

        readonly Dictionary<int, SlotList> _peers = new Dictionary<int, SlotList>();

        /// <summary>Files currently indexed.</summary>
        public int Count => _live;
        public int KeywordCount => _tokenIds.Count;

        public int FileCountOf(int peerId) => _peers.TryGetValue(peerId, out var list) ? list.Count : 0;

        /// <summary>Indexes one file of <paramref name="peerId"/>; returns its slot.</summary>
        public int Add(int peerId, string name, ContentHash hash, long size, int fileIndex = -1)
        {
            if (peerId < 0) throw new ArgumentOutOfRangeException(nameof(peerId), "Peer ids are zero or more.");
            if (name == null) throw new ArgumentNullException(nameof(name));
            if (hash.IsEmpty) throw new ArgumentException("A file needs its content hash.", nameof(hash));
            var h = hash.ToByteArray();

            int slot = _slotCount;
            int chunk = slot >> ChunkBits;
            if (chunk == _chunks.Length) Array.Resize(ref _chunks, _chunks.Length * 2);
            if (_chunks[chunk] == null) _chunks[chunk] = new Entry[ChunkSize];
            ref Entry e = ref _chunks[chunk][slot & ChunkMask];
            e.Name = Encoding.UTF8.GetBytes(name);
            e.Size = size;
            e.H0 = ReadUInt64(h, 0);
            e.H1 = ReadUInt64(h, 8);
            e.H2 = (uint)ReadUInt64(h, 16, 4);
            e.Peer = peerId;
            e.FileIndex = fileIndex;
            _slotCount++;
            _live++;

            foreach (string token in KeywordTokenizer.Tokenize(name)) AppendPosting(TokenId(token), slot);
            if (!_peers.TryGetValue(peerId, out var list)) _peers[peerId] = list = new SlotList();
            list.Add(slot);
            return slot;
        }

        /// <summary>Removes one file of a peer by name (the first one, if it shared the name twice).</summary>
        public bool Remove(int peerId, string name)
        {
            if (name == null || !_peers.TryGetValue(peerId, out var list)) return false;
            byte[] wanted = Encoding.UTF8.GetBytes(name);
            for (int i = 0; i < list.Count; i++)
            {
                int slot = list.Items[i];
                if (!SameBytes(EntryAt(slot).Name, wanted)) continue;
                Kill(slot);
                list.Items[i] = list.Items[--list.Count];
                if (list.Count == 0) _peers.Remove(peerId);
                MaybeCompact();
                return true;
            }
            return false;
        }

        /// <summary>Removes every file of a peer; returns how many.</summary>
        public int RemovePeer(int peerId)
        {
            if (!_peers.TryGetValue(peerId, out var list)) return 0;
            _peers.Remove(peerId);
            for (int i = 0; i < list.Count; i++) Kill(list.Items[i]);
            MaybeCompact();
            return list.Count;
        }

        /// <summary>Tokenises <paramref name="query"/> and searches; see the other overload.</summary>
        public int Search(string query, int maxResults, List<IndexedFile> results) =>
            Search(KeywordTokenizer.Tokenize(query), maxResults, results);

        /// <summary>
        /// Appends to <paramref name="results"/> up to <paramref name="maxResults"/> files whose names hold EVERY
        /// keyword (already tokenised: lower case) and none of <paramref name="excluded"/>, oldest first; returns how
        /// many it appended. No keywords, or a keyword no file has, finds nothing.
        /// </summary>
        public int Search(IReadOnlyList<string> keywords, int maxResults, List<IndexedFile> results, IReadOnlyList<string> excluded = null)
        {
            if (keywords == null || keywords.Count == 0 || maxResults <= 0) return 0;
            int k = keywords.Count;
            var lists = new int[k];
            for (int i = 0; i < k; i++)
            {
                if (!_tokenIds.TryGetValue(keywords[i], out lists[i])) return 0;
            }
            // Shortest list first: it bounds the candidates; the others are only probed.
            // (insertion sort: a query has a handful of keywords, and this allocates nothing)
            for (int i = 1; i < k; i++)
                for (int j = i; j > 0 && _postingCounts[lists[j]] < _postingCounts[lists[j - 1]]; j--)
                { int t = lists[j]; lists[j] = lists[j - 1]; lists[j - 1] = t; }

            int[] excludedLists = null;
            if (excluded != null && excluded.Count > 0)
            {
                var found = new List<int>();
                foreach (var word in excluded) if (_tokenIds.TryGetValue(word, out int id)) found.Add(id);
                if (found.Count > 0) excludedLists = found.ToArray();
            }

            // Common words have bitmaps: when every keyword does, intersect them a word (64 slots) at a time. Otherwise
            // the shortest list without one drives, probing the others' bits or seeking in their lists.
            int firstSparse = 0;
            while (firstSparse < k && _bitmaps[lists[firstSparse]] != null) firstSparse++;
            if (firstSparse == k) return IntersectBitmaps(lists, maxResults, results, excludedLists);
            if (firstSparse > 0)
            {
                int t = lists[firstSparse];
                Array.Copy(lists, 0, lists, 1, firstSparse);
                lists[0] = t;
            }

            int[] driver = _postings[lists[0]];
            int driverCount = _postingCounts[lists[0]];
            if (k == 2 && _bitmaps[lists[1]] == null && _postingCounts[lists[1]] < 16 * driverCount)
                return MergeTwo(driver, driverCount, _postings[lists[1]], _postingCounts[lists[1]], maxResults, results, excludedLists);

            var cursors = new int[k];
            int added = 0;
            // Leapfrog: when another list has nothing at this slot, the driver jumps straight to that list's next
            // slot instead of stepping through every driver entry in between.
            int d = 0;
            while (d < driverCount && added < maxResults)
            {
                int slot = driver[d];
                bool match = true;
                for (int j = 1; j < k; j++)
                {
                    var bits = _bitmaps[lists[j]];
                    if (bits != null)
                    {
                        if (HasBit(bits, slot)) continue;
                        match = false;
                        d++;
                        break;
                    }
                    int[] other = _postings[lists[j]];
                    int count = _postingCounts[lists[j]];
                    int c = Seek(other, count, cursors[j], slot);
                    cursors[j] = c;
                    if (c == count) return added;   // that list is exhausted: nothing later can match
                    if (other[c] != slot) { match = false; d = Seek(driver, driverCount, d + 1, other[c]); break; }
                }
                if (!match) continue;
                d++;
                if (TryAdd(slot, results, excludedLists)) added++;
            }
            return added;
        }

        /// <summary>
        /// Two lists of similar length: a linear merge whose steps are branch-free (both cursors advance by
        /// comparison results) beats galloping, which pays a call and a mispredicted branch per element.
        /// </summary>
        int MergeTwo(int[] a, int na, int[] b, int nb, int maxResults, List<IndexedFile> results, int[] excludedLists)
        {
            int i = 0, j = 0, added = 0;
            while (i < na && j < nb)
            {
                int x = a[i], y = b[j];
                if (x == y)
                {
                    if (TryAdd(x, results, excludedLists) && ++added >= maxResults) break;
                    i++; j++;
                    continue;
                }
                i += x < y ? 1 : 0;
                j += y < x ? 1 : 0;
            }
            return added;
        }

        bool TryAdd(int slot, List<IndexedFile> results, int[] excludedLists)
        {
            ref Entry e = ref EntryAt(slot);
            if (e.Peer < 0) return false;
            if (excludedLists != null && ContainsAny(excludedLists, slot)) return false;
            results.Add(new IndexedFile(slot, e.Peer, e.FileIndex, e.Size, e.Name, e.H0, e.H1, e.H2));
            return true;
        }

        /// <summary>Approximate bytes held by the index's own arrays (names, slots, posting lists), for measurements.</summary>
        public long EstimateMemoryBytes()
        {
            const int ArrayHeader = 24;
            long total = 0;
            foreach (var chunk in _chunks) if (chunk != null) total += ArrayHeader + (long)chunk.Length * 48;
            for (int s = 0; s < _slotCount; s++) { var n = EntryAt(s).Name; if (n != null) total += ArrayHeader + ((n.Length + 7) & ~7); }
            for (int p = 0; p < _postingIdCount; p++) if (_postings[p] != null) total += ArrayHeader + 4L * _postings[p].Length;
            total += (long)_postings.Length * 16;
            foreach (var kv in _tokenIds) total += 24 + 22 + 2 * kv.Key.Length;
            foreach (var kv in _peers) total += 48 + ArrayHeader + 4L * kv.Value.Items.Length;
            total += (long)_bitmaps.Length * 8;
            for (int p = 0; p < _postingIdCount; p++) if (_bitmaps[p] != null) total += ArrayHeader + 8L * _bitmaps[p].Length;
            return total;
        }

        ref Entry EntryAt(int slot) => ref _chunks[slot >> ChunkBits][slot & ChunkMask];

        void Kill(int slot)
        {
            ref Entry e = ref EntryAt(slot);
            if (e.Peer < 0) return;
            e.Peer = -1;
            e.Name = null;   // the name's memory goes now; the slot itself waits for compaction
            _live--;
            _dead++;
        }

        int TokenId(string token)
        {
            if (_tokenIds.TryGetValue(token, out int id)) return id;
            if (_freePostingIds.Count > 0) id = _freePostingIds.Pop();
            else
            {
                id = _postingIdCount++;
                if (id == _postings.Length)
                {
                    Array.Resize(ref _postings, id * 2);
                    Array.Resize(ref _postingCounts, id * 2);
                    Array.Resize(ref _postingTokens, id * 2);
                    Array.Resize(ref _bitmaps, id * 2);
                }
            }
            _postings[id] = new int[2];
            _bitmaps[id] = null;
            _postingCounts[id] = 0;
            _postingTokens[id] = token;
            _tokenIds.Add(token, id);
            return id;
        }

        void AppendPosting(int id, int slot)
        {
            int[] items = _postings[id];
            int count = _postingCounts[id];
            if (count == items.Length) { Array.Resize(ref items, items.Length * 2); _postings[id] = items; }
            items[count] = slot;
            _postingCounts[id] = count + 1;
            NoteAppended(id, slot);
        }

        bool ContainsAny(int[] postingIds, int slot)
        {
            foreach (int id in postingIds)
                if (_bitmaps[id] != null ? HasBit(_bitmaps[id], slot) : Array.BinarySearch(_postings[id], 0, _postingCounts[id], slot) >= 0) return true;
            return false;
        }

        void MaybeCompact()
        {
            if (_dead >= MinDeadForCompaction && _dead > _live) Compact();
        }

        /// <summary>Drops tombstones: renumbers live slots in order and rewrites posting and peer lists.</summary>
        internal void Compact()
        {
            var map = new int[_slotCount];
            int next = 0;
            for (int slot = 0; slot < _slotCount; slot++)
            {
                ref Entry e = ref EntryAt(slot);
                if (e.Peer < 0) { map[slot] = -1; continue; }
                map[slot] = next;
                if (next != slot) EntryAt(next) = e;
                next++;
            }
            for (int slot = next; slot < _slotCount; slot++) EntryAt(slot) = default;
            int usedChunks = (next + ChunkMask) >> ChunkBits;
            for (int c = Math.Max(usedChunks, 1); c < _chunks.Length; c++) _chunks[c] = null;

            for (int id = 0; id < _postingIdCount; id++)
            {
                int[] items = _postings[id];
                if (items == null) continue;
                int count = _postingCounts[id], w = 0;
                for (int r = 0; r < count; r++)
                {
                    int m = map[items[r]];
                    if (m >= 0) items[w++] = m;
                }
                if (w == 0)
                {
                    _tokenIds.Remove(_postingTokens[id]);
                    _postings[id] = null;
                    _postingTokens[id] = null;
                    _bitmaps[id] = null;
                    _postingCounts[id] = 0;
                    _freePostingIds.Push(id);
                    continue;
                }
                if (items.Length > 4 * w) { Array.Resize(ref items, Math.Max(2, w * 2)); _postings[id] = items; }
                _postingCounts[id] = w;
            }

            foreach (var list in _peers.Values)
                for (int i = 0; i < list.Count; i++) list.Items[i] = map[list.Items[i]];
            RebuildBitmaps(next);

            _slotCount = next;
            _dead = 0;
        }

        static int Seek(int[] a, int count, int from, int target)
        {
            // First position at or after 'from' whose value is >= target. Lists of similar length mostly need a
            // step or two, which a short linear scan answers faster than galloping; long jumps gallop.
            int end = Math.Min(count, from + 4);
            for (; from < end; from++) if (a[from] >= target) return from;
            if (from >= count) return count;
            int lo = from - 1, step = 1, hi = from;
            from = lo;
            while (hi < count && a[hi] < target) { lo = hi; step <<= 1; hi = from + step; }
            if (hi > count) hi = count;
            lo++;
            while (lo < hi)
            {
                int mid = (lo + hi) >> 1;
                if (a[mid] < target) lo = mid + 1; else hi = mid;
            }
            return lo;
        }

        static bool SameBytes(byte[] a, byte[] b)
        {
            if (a == null || a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
            return true;
        }

        static ulong ReadUInt64(byte[] b, int offset, int count = 8)
        {
            ulong v = 0;
            for (int i = 0; i < count; i++) v = (v << 8) | b[offset + i];
            return v;
        }
    }
}
