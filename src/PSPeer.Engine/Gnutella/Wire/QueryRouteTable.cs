using System;
using System.Collections.Generic;
using System.Threading;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Gnutella.Wire
{
    /// <summary>
    /// A Query Routing Protocol table (QRP 1.0): 2^bits slots, a slot present when some shared keyword hashes to it.
    /// A leaf builds one from its file names and sends it (<see cref="ToUpdates"/>: a reset, then zlib-compressed patch
    /// messages of 4-bit signed deltas); its ultrapeer rebuilds it (<see cref="Apply"/>) and asks
    /// <see cref="MayMatch(string)"/> before passing a query down. Slots are stored as bits (present = any distance
    /// below infinity), so a 16-bit table costs 8 KiB. A table being received replaces the current one only when its
    /// last patch has arrived, so routing never sees a half-built table. Not thread-safe.
    /// </summary>
    public sealed class QueryRouteTable
    {
        public const int DefaultInfinity = 7;
        /// <summary>Largest table accepted from a peer (2^22 slots = 512 KiB of bits).</summary>
        public const int MaxTableLength = 1 << 22;
        public const int MinTableLength = 64;
        const uint HashMultiplier = 0x4F1BBCDC;   // the QRP spec's multiplicative constant

        // Sizes and sequence numbers are bytes (a table has at most 22 bits, a sequence at most 255 patches): an ultrapeer
        // holds a table per leaf link, and ints took the object to the next size.
        byte _bits;
        // The present slots: a bit set (ulong[]), or, when few slots are present, their sorted indexes (int[]). A leaf
        // shares a few dozen keywords, so an ultrapeer holding one 16-bit table per leaf link kept 8 KiB each for a few
        // hundred bytes of information. One field, swapped whole, so a reader never sees half of a change.
        object _table;

        // The sequence being received.
        ulong[] _pending;
        byte _pendingBits;
        byte _infinity = DefaultInfinity;
        byte _nextSequence;      // 0 = no sequence open
        byte _sequenceSize;
        byte _compressor, _entryBits;
        // The sequence's patches so far (their data is read where it is, see QrpPatch.SetData): one QrpPatch (a leaf's
        // table is one patch), a List<QrpPatch> from the second patch on. A list per sequence received was an
        // ultrapeer's garbage for every leaf that linked to it.
        object _chunks;
        int _chunkBytes;
        bool _resetSeen;
        bool _resetSeenWithoutPatches;

        // ToUpdates is asked once per ultrapeer link; the compressed table is kept until the table changes. One
        // immutable object, swapped whole, so concurrent ToUpdates calls on a finished table stay safe; a sparse table's
        // is the one every table of the same slots shares (QrpTableCache).
        volatile EncodedUpdates _cachedUpdates;

        /// <summary>The updates that send a table, and each one's payload bytes (a sender puts a header of its own before them).</summary>
        internal sealed class EncodedUpdates
        {
            public EncodedUpdates(int maxPatchBytes, RouteTableUpdate[] updates)
            {
                MaxPatchBytes = maxPatchBytes;
                Updates = updates;
                Payloads = new byte[updates.Length][];
                for (int i = 0; i < updates.Length; i++) Payloads[i] = GnutellaCodec.EncodePayload(updates[i]);
            }

            public readonly int MaxPatchBytes;
            public readonly RouteTableUpdate[] Updates;
            public readonly byte[][] Payloads;
        }

        public QueryRouteTable(int bits = 16)
        {
            if (bits < 6 || bits > 22) throw new ArgumentOutOfRangeException(nameof(bits), "A query route table has 6 to 22 bits (64 to 4M slots).");
            _bits = (byte)bits;
            // Empty and sparse: a table that is only ever received into, or stays empty, never needs its bit set.
            _table = NoSlots;
        }

        static readonly int[] NoSlots = new int[0];

        // By bits: the one complete, empty table of that size servents share (see SharedEmpty), made when first asked for.
        static readonly QueryRouteTable[] EmptyBySize = new QueryRouteTable[23];

        /// <summary>
        /// The complete, empty table of <paramref name="bits"/> bits that servents share instead of one each: a leaf that
        /// shares nothing keeps it as its own, and its ultrapeers keep it for that leaf's link (most leaves share
        /// nothing). Only read it: a receiver that gets a new sequence for a link holding it starts a table of its own
        /// (<see cref="IsSharedEmpty"/>).
        /// </summary>
        internal static QueryRouteTable SharedEmpty(int bits)
        {
            if (bits < 6 || bits > 22) throw new ArgumentOutOfRangeException(nameof(bits), "A query route table has 6 to 22 bits (64 to 4M slots).");
            var empty = Volatile.Read(ref EmptyBySize[bits]);
            if (empty != null) return empty;
            var made = new QueryRouteTable(bits);
            return Interlocked.CompareExchange(ref EmptyBySize[bits], made, null) ?? made;
        }

        /// <summary>This is the shared empty table of its size (<see cref="SharedEmpty"/>): never to be changed.</summary>
        internal bool IsSharedEmpty => ReferenceEquals(this, Volatile.Read(ref EmptyBySize[_bits]));

        public int Bits => _bits;
        public int TableLength => 1 << _bits;

        /// <summary>
        /// False only while a received reset/patch sequence is incomplete (the previous table still answers). A new
        /// table is complete and empty.
        /// </summary>
        public bool IsComplete => _nextSequence == 0 && !_resetSeenWithoutPatches;

        /// <summary>Number of present slots.</summary>
        public int PresentCount
        {
            get
            {
                var table = _table;
                if (table is int[] sparse) return sparse.Length;
                return CountBits((ulong[])table);
            }
        }

        /// <summary>
        /// The QRP hash: the lower-cased characters (low byte of each) XORed into a 32-bit word at byte positions
        /// 0,1,2,3,0,1..., multiplied by 0x4F1BBCDC modulo 2^32, and the top <paramref name="bits"/> bits kept.
        /// </summary>
        public static int Hash(string keyword, int bits)
        {
            if (bits < 1 || bits > 31) throw new ArgumentOutOfRangeException(nameof(bits));
            if (keyword == null) throw new ArgumentNullException(nameof(keyword));
            uint xor = 0;
            for (int i = 0; i < keyword.Length; i++)
            {
                uint b = (uint)(char.ToLowerInvariant(keyword[i]) & 0xFF);
                xor ^= b << ((i & 3) * 8);
            }
            return Slot(xor, bits);
        }

        static int Slot(uint xor, int bits) => (int)((xor * HashMultiplier) >> (32 - bits));

        /// <summary>Marks one keyword (used as given, lower-cased by the hash).</summary>
        public void Add(string keyword)
        {
            if (string.IsNullOrEmpty(keyword)) return;
            int slot = Hash(keyword, _bits);
            var dense = Dense();
            if (IsSet(dense, slot)) return;
            Set(dense, slot);
            _cachedUpdates = null;
        }

        /// <summary>Marks every keyword of a file name, tokenised as the keyword index does.</summary>
        public void AddFileName(string name)
        {
            if (string.IsNullOrEmpty(name)) return;
            // Hashed as the characters go by (NextKeywordSlot splits and lower-cases as KeywordTokenizer does), without
            // making the keywords.
            for (int at = 0; NextKeywordSlot(name, ref at, _bits, out int slot);)
            {
                var dense = Dense();
                if (IsSet(dense, slot)) continue;
                Set(dense, slot);
                _cachedUpdates = null;
            }
        }

        /// <summary>
        /// A table of <paramref name="bits"/> bits of every keyword of the files' names and every file's content hash,
        /// compacted: what <see cref="AddFileName"/> and <see cref="Add(ContentHash)"/> for each file and then
        /// <see cref="Compact"/> make, without the bit set of 2^bits bits they fill on the way (a leaf sharing a few files
        /// keeps a few dozen slots). No files, or nothing to mark: the shared empty table (<see cref="SharedEmpty"/>,
        /// only to be read).
        /// </summary>
        internal static QueryRouteTable OfFiles(int bits, IReadOnlyList<SharedFile> files)
        {
            var slots = t_buildSlots ?? (t_buildSlots = new int[64]);
            int n = 0;
            for (int f = 0; f < files.Count; f++)
            {
                var file = files[f];
                string name = file.Name;
                if (!string.IsNullOrEmpty(name))
                    for (int at = 0; NextKeywordSlot(name, ref at, bits, out int slot);) Append(ref slots, ref n, slot);
                if (!file.ContentHash.IsEmpty) Append(ref slots, ref n, Hash(file.ContentHash.ToString(), bits));
            }
            t_buildSlots = slots.Length <= MaxKeptBuildSlots ? slots : null;
            if (n == 0) return SharedEmpty(bits);   // nothing shared: the one empty table of this size
            var table = new QueryRouteTable(bits);
            Array.Sort(slots, 0, n);
            int distinct = 1;
            for (int i = 1; i < n; i++) if (slots[i] != slots[distinct - 1]) slots[distinct++] = slots[i];
            var dense = NewSlots(bits);
            // Sparse only when it takes at most a quarter of the bit set's bytes (as Compacted decides).
            if ((long)distinct * sizeof(int) > (long)dense.Length * sizeof(ulong) / 4)
            {
                for (int i = 0; i < distinct; i++) Set(dense, slots[i]);
                table._table = dense;
            }
            else
            {
                var sparse = new int[distinct];
                Array.Copy(slots, sparse, distinct);
                table._table = sparse;
            }
            return table;
        }

        // The slots OfFiles gathers, per thread; a large share's are not kept.
        [ThreadStatic] static int[] t_buildSlots;
        const int MaxKeptBuildSlots = 4096;

        static void Append(ref int[] slots, ref int n, int slot)
        {
            if (n == slots.Length) Array.Resize(ref slots, slots.Length * 2);
            slots[n++] = slot;
        }

        /// <summary>Marks a content hash, so URN-only queries for it route here ("urn:sha1:BASE32" is hashed whole).</summary>
        public void Add(ContentHash hash)
        {
            if (!hash.IsEmpty) Add(hash.ToString());
        }

        /// <summary>
        /// True when every keyword of <paramref name="criteria"/> hashes to a present slot (false positives possible,
        /// false negatives not). A criteria that is itself a urn:sha1 is looked up whole. No keyword: false.
        /// </summary>
        public bool MayMatch(string criteria) => MayMatch(_table, _bits, criteria);

        public bool MayMatch(ContentHash hash) => MayMatch(_table, _bits, hash);

        /// <summary>A query may match when its keywords all match, or when any of its urns does.</summary>
        public bool MayMatch(Query query) => MayMatch(_table, _bits, query);

        /// <summary>
        /// <see cref="MayMatch(Query)"/> asked of a bare set of present slots: a bit set (ulong[]) or sorted slot numbers
        /// (int[]) of a table of <paramref name="bits"/> bits. An ultrapeer keeps its leaves' summary so (see
        /// <see cref="MergeInto"/>): one array, without a table object to reach it through.
        /// </summary>
        internal static bool MayMatch(object slots, int bits, Query query)
        {
            if (query == null) return false;
            if (MayMatch(slots, bits, query.Criteria)) return true;
            if (query.Urns != null) foreach (var urn in query.Urns) if (MayMatch(slots, bits, urn)) return true;
            return false;
        }

        static bool MayMatch(object slots, int bits, string criteria)
        {
            if (string.IsNullOrWhiteSpace(criteria)) return false;
            int start = 0;
            while (char.IsWhiteSpace(criteria[start])) start++;   // what Trim would drop (not all of it: not white)
            if (string.Compare(criteria, start, ContentHash.Prefix, 0, ContentHash.Prefix.Length, StringComparison.OrdinalIgnoreCase) == 0)
                return ContentHash.TryParse(criteria.Trim(), out var hash) && MayMatch(slots, bits, hash);
            return AllKeywordsPresent(slots, bits, criteria);
        }

        static bool MayMatch(object slots, int bits, ContentHash hash) => !hash.IsEmpty && IsPresent(slots, Hash(hash.ToString(), bits));

        /// <summary>
        /// Every keyword of <paramref name="criteria"/> (as <see cref="KeywordTokenizer"/> splits and lower-cases them)
        /// hashes to a present slot; no keyword: false. Hashed as the characters go by, without making the keywords: an
        /// ultrapeer asks this of every leaf's table for every query it routes. A keyword that comes twice is looked up
        /// twice, which answers the same.
        /// </summary>
        static bool AllKeywordsPresent(object slots, int bits, string criteria)
        {
            bool any = false;
            for (int at = 0; NextKeywordSlot(criteria, ref at, bits, out int slot); any = true)
                if (!IsPresent(slots, slot)) return false;
            return any;
        }

        /// <summary>
        /// The slot of the next keyword of <paramref name="criteria"/> from <paramref name="at"/> (which moves past it), as
        /// <see cref="KeywordTokenizer"/> splits and lower-cases keywords; false when there is none. Hashed as the characters
        /// go by, without making the keywords.
        /// </summary>
        static bool NextKeywordSlot(string criteria, ref int at, int bits, out int slot)
        {
            uint xor = 0;
            int length = 0;   // characters of the keyword being hashed
            for (; at <= criteria.Length; at++)
            {
                char c = at < criteria.Length ? criteria[at] : ' ';
                if (char.IsLetterOrDigit(c))
                {
                    // The tokenizer lower-cases the keyword and Hash lower-cases it again: the same here.
                    uint b = (uint)(char.ToLowerInvariant(char.ToLowerInvariant(c)) & 0xFF);
                    xor ^= b << ((length & 3) * 8);
                    length++;
                    continue;
                }
                if (length == 0) continue;
                slot = Slot(xor, bits);
                return true;
            }
            slot = 0;
            return false;
        }

        /// <summary>
        /// The table folded into one word: bit s is set when a present slot's top 6 bits are s. The QRP hash keeps a
        /// keyword's top bits, so whatever this table may match, <see cref="FoldedQuery.MayMatch"/> says may match its fold.
        /// An ultrapeer keeps its leaves' folds beside their links, and reads a leaf's link and table only when the fold
        /// may match (most leaves share nothing, and their fold is 0).
        /// </summary>
        internal ulong Fold()
        {
            ulong folded = 0;
            int shift = _bits - FoldedQuery.Bits;
            var table = _table;
            if (table is int[] sparse)
            {
                foreach (int slot in sparse) folded |= 1UL << (slot >> shift);
                return folded;
            }
            // A bit set, read without the iterator PresentSlots would allocate (a fold is taken per leaf link change).
            var dense = (ulong[])table;
            for (int w = 0; w < dense.Length; w++)
            {
                ulong x = dense[w];
                for (int b = 0; x != 0; b++, x >>= 1)
                    if ((x & 1) != 0) folded |= 1UL << (((w << 6) + b) >> shift);
            }
            return folded;
        }

        /// <summary>A query's keywords and urns hashed into a table of 64 slots, to ask of folded tables (<see cref="Fold"/>).</summary>
        internal readonly struct FoldedQuery
        {
            public const int Bits = 6;
            readonly ulong _keywords;   // every keyword's slot (0: no keyword)
            readonly ulong _urns;       // any urn's slot

            FoldedQuery(ulong keywords, ulong urns) { _keywords = keywords; _urns = urns; }

            /// <summary>What <see cref="MayMatch(Query)"/> looks up, folded: the same criteria, urn criteria and urns.</summary>
            public static FoldedQuery Of(Query query)
            {
                if (query == null) return default;
                ulong keywords = 0, urns = 0;
                string criteria = query.Criteria;
                if (!string.IsNullOrWhiteSpace(criteria))
                {
                    int start = 0;
                    while (char.IsWhiteSpace(criteria[start])) start++;
                    if (string.Compare(criteria, start, ContentHash.Prefix, 0, ContentHash.Prefix.Length, StringComparison.OrdinalIgnoreCase) == 0)
                    {
                        if (ContentHash.TryParse(criteria.Trim(), out var hash) && !hash.IsEmpty) urns |= 1UL << Hash(hash.ToString(), Bits);
                    }
                    else
                        for (int at = 0; NextKeywordSlot(criteria, ref at, Bits, out int slot);) keywords |= 1UL << slot;
                }
                if (query.Urns != null)
                    foreach (var urn in query.Urns) if (!urn.IsEmpty) urns |= 1UL << Hash(urn.ToString(), Bits);
                return new FoldedQuery(keywords, urns);
            }

            /// <summary>False when a table whose fold is <paramref name="folded"/> cannot match the query.</summary>
            public bool MayMatch(ulong folded) =>
                (_keywords != 0 && (_keywords & folded) == _keywords) || (_urns & folded) != 0;
        }

        /// <summary>
        /// Marks every slot where a keyword present in <paramref name="other"/> hashes in this table, so this table
        /// then matches whatever <paramref name="other"/> matches (an ultrapeer's last-hop table: its files and its
        /// leaves' tables). The QRP hash keeps the top bits of one 32-bit value, so a slot of a larger table maps to one
        /// slot here; a slot of a smaller table covers a range here (a superset: false positives, never false negatives).
        /// </summary>
        public void Merge(QueryRouteTable other)
        {
            if (other == null) throw new ArgumentNullException(nameof(other));
            other.MergeInto(Dense(), _bits);
            _cachedUpdates = null;
        }

        /// <summary>
        /// <see cref="Merge"/> into a bare bit set of a table of <paramref name="bits"/> bits (one ulong per 64 slots):
        /// every slot where a keyword present here hashes there is set.
        /// </summary>
        internal void MergeInto(ulong[] dense, int bits)
        {
            if (dense == null) throw new ArgumentNullException(nameof(dense));
            if (dense.Length * 64 < 1 << bits) throw new ArgumentException("The bit set is smaller than the table it stands for.", nameof(dense));
            int shift = _bits - bits;
            foreach (int slot in PresentSlots(_table))
            {
                if (shift >= 0) Set(dense, slot >> shift);
                else for (int i = slot << -shift, end = (slot + 1) << -shift; i < end; i++) Set(dense, i);
            }
        }

        /// <summary>The same present slots (and size) as <paramref name="other"/>.</summary>
        public bool SameSlots(QueryRouteTable other)
        {
            if (other == null || other._bits != _bits) return false;
            var mine = new List<int>(PresentSlots(_table));
            var theirs = new List<int>(PresentSlots(other._table));
            if (mine.Count != theirs.Count) return false;
            for (int i = 0; i < mine.Count; i++) if (mine[i] != theirs[i]) return false;
            return true;
        }

        static IEnumerable<int> PresentSlots(object table)
        {
            if (table is int[] sparse)
            {
                foreach (int slot in sparse) yield return slot;
                yield break;
            }
            var dense = (ulong[])table;
            for (int w = 0; w < dense.Length; w++)
            {
                ulong x = dense[w];
                for (int b = 0; x != 0; b++, x >>= 1)
                    if ((x & 1) != 0) yield return (w << 6) + b;
            }
        }

        /// <summary>
        /// The whole table as a reset followed by zlib-compressed patches of 4-bit deltas against the empty table.
        /// <paramref name="maxPatchBytes"/> bounds each patch's Data (the payload adds 5 bytes); when it would take more
        /// than 255 patches, patches grow so the sequence fits in 255.
        /// </summary>
        public IEnumerable<RouteTableUpdate> ToUpdates(int maxPatchBytes) => (RouteTableUpdate[])SharedUpdates(maxPatchBytes).Clone();

        /// <summary>
        /// As <see cref="ToUpdates"/>, without the copy: the array this table keeps (shared with every table of the same
        /// slots when sparse), for a sender that only reads it. A leaf sends its table to each of its ultrapeers, and
        /// a copy, an enumerator and a closure per link were a network build's garbage for nothing.
        /// </summary>
        internal RouteTableUpdate[] SharedUpdates(int maxPatchBytes) => Encoded(maxPatchBytes).Updates;

        /// <summary>
        /// The payload bytes of each of <see cref="SharedUpdates"/>, kept with them (and as shared): a sender lays a header
        /// of its own before each, and encodes nothing per link. Only read.
        /// </summary>
        internal byte[][] SharedUpdatePayloads(int maxPatchBytes) => Encoded(maxPatchBytes).Payloads;

        EncodedUpdates Encoded(int maxPatchBytes)
        {
            if (maxPatchBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxPatchBytes));
            var cache = _cachedUpdates;
            if (cache == null || cache.MaxPatchBytes != maxPatchBytes) _cachedUpdates = cache = MakeUpdates(maxPatchBytes);
            return cache;
        }

        // Apart from Encoded, so that the closure is made only when the updates are (a method's closure is made
        // where its scope begins, whether or not the lambda is reached).
        EncodedUpdates MakeUpdates(int maxPatchBytes) =>
            // A sparse table's updates are shared by every table with the same slots (all the leaves without files).
            _table is int[] sparse
                ? QrpTableCache.Updates(_bits, maxPatchBytes, sparse, () => new EncodedUpdates(maxPatchBytes, BuildUpdates(maxPatchBytes)))
                : new EncodedUpdates(maxPatchBytes, BuildUpdates(maxPatchBytes));

        RouteTableUpdate[] BuildUpdates(int maxPatchBytes)
        {
            int length = TableLength;
            var deltas = new byte[length / 2];
            const int presentDelta = 1 - DefaultInfinity;   // from infinity down to distance 1
            var slots = DenseCopy();
            for (int i = 0; i < length; i++)
            {
                if (!IsSet(slots, i)) continue;
                int nibble = presentDelta & 0x0F;
                deltas[i >> 1] |= (byte)((i & 1) == 0 ? nibble << 4 : nibble);   // first entry in the high nibble
            }
            var compressed = Zlib.Compress(deltas);
            int chunk = Math.Max(maxPatchBytes, (compressed.Length + 254) / 255);
            int count = Math.Max(1, (compressed.Length + chunk - 1) / chunk);
            var updates = new List<RouteTableUpdate> { new QrpReset { TableLength = length, Infinity = DefaultInfinity } };
            for (int i = 0; i < count; i++)
            {
                int offset = i * chunk;
                int n = Math.Min(chunk, compressed.Length - offset);
                var data = new byte[n];
                Buffer.BlockCopy(compressed, offset, data, 0, n);
                updates.Add(new QrpPatch { SequenceNumber = (byte)(i + 1), SequenceSize = (byte)count, Compressor = QrpPatch.ZlibCompressor, EntryBits = 4, Data = data });
            }
            return updates.ToArray();
        }

        /// <summary>
        /// Receiving side: a reset opens a new table, patches fill it in order, and the last patch of a sequence makes
        /// it current. A patch sequence without a reset applies deltas to the current table. Out-of-order or
        /// inconsistent patches, bad sizes, unknown compressors and corrupt data throw
        /// <see cref="GnutellaProtocolException"/> and abandon the sequence (the current table stays).
        /// </summary>
        public void Apply(RouteTableUpdate update)
        {
            if (update == null) throw new ArgumentNullException(nameof(update));
            try
            {
                if (update is QrpReset reset) ApplyReset(reset);
                else if (update is QrpPatch patch) ApplyPatch(patch);
                else throw new GnutellaProtocolException($"unknown route table update {update.GetType().Name}");
            }
            catch (GnutellaProtocolException)
            {
                Abandon();
                throw;
            }
        }

        void ApplyReset(QrpReset reset)
        {
            int length = reset.TableLength;
            if (length < MinTableLength || length > MaxTableLength || (length & (length - 1)) != 0)
                throw new GnutellaProtocolException($"QRP reset asks for a table of {length} slots (a power of two from {MinTableLength} to {MaxTableLength} is needed)");
            if (reset.Infinity < 1) throw new GnutellaProtocolException("QRP reset has infinity 0");
            _pendingBits = (byte)Log2(length);
            _pending = null;   // every slot at infinity: the patches decode straight into the table's final form
            _infinity = reset.Infinity;
            _nextSequence = 0;
            _resetSeen = true;
            _resetSeenWithoutPatches = true;
        }

        void ApplyPatch(QrpPatch patch)
        {
            if (_nextSequence == 0)
            {
                // First patch of a sequence: after a reset it fills the fresh table; otherwise it patches the current one.
                if (patch.SequenceNumber != 1) throw new GnutellaProtocolException($"QRP patch {patch.SequenceNumber} arrived before patch 1");
                if (patch.SequenceSize < 1) throw new GnutellaProtocolException("QRP patch announces a sequence of 0 patches");
                if (patch.Compressor != QrpPatch.NoCompressor && patch.Compressor != QrpPatch.ZlibCompressor)
                    throw new GnutellaProtocolException($"QRP patch uses unknown compressor {patch.Compressor}");
                if (patch.EntryBits != 4 && patch.EntryBits != 8) throw new GnutellaProtocolException($"QRP patch has {patch.EntryBits}-bit entries (4 or 8 expected)");
                if (!_resetSeen)
                {
                    _pendingBits = _bits;
                    _pending = DenseCopy();
                }
                _sequenceSize = patch.SequenceSize;
                _compressor = patch.Compressor;
                _entryBits = patch.EntryBits;
                _chunks = null;
                _chunkBytes = 0;
                _nextSequence = 1;
                _resetSeenWithoutPatches = false;
            }
            if (patch.SequenceNumber != _nextSequence) throw new GnutellaProtocolException($"QRP patch {patch.SequenceNumber} arrived where {_nextSequence} was expected");
            if (patch.SequenceSize != _sequenceSize || patch.Compressor != _compressor || patch.EntryBits != _entryBits)
                throw new GnutellaProtocolException("QRP patch changes sequence size, compressor or entry bits mid-sequence");

            int rawLength = (1 << _pendingBits) / 8 * _entryBits;
            int limit = _compressor == QrpPatch.NoCompressor ? rawLength : rawLength + rawLength / 16 + 1024;
            if (_chunkBytes + patch.DataCount > limit) throw new GnutellaProtocolException($"QRP patch data exceeds the {limit} bytes a {1 << _pendingBits}-slot table can need");
            if (_chunks == null) _chunks = patch;
            else if (_chunks is List<QrpPatch> more) more.Add(patch);
            else _chunks = new List<QrpPatch> { (QrpPatch)_chunks, patch };
            _chunkBytes += patch.DataCount;

            if (_nextSequence < _sequenceSize) { _nextSequence++; return; }

            // The sequence's data where it is when it is one patch's; else its patches' data end to end.
            byte[] buffer;
            int offset;
            if (_chunks is QrpPatch only)
            {
                buffer = only.DataBuffer;
                offset = only.DataOffset;
            }
            else
            {
                buffer = new byte[_chunkBytes];
                offset = 0;
                int o = 0;
                foreach (var c in (List<QrpPatch>)_chunks) { Buffer.BlockCopy(c.DataBuffer, c.DataOffset, buffer, o, c.DataCount); o += c.DataCount; }
            }
            // After a reset, a sequence that arrived whole before (the same empty table from every leaf) decodes as it did.
            bool afterReset = _resetSeen;
            if (afterReset && QrpTableCache.TryDecoded(_pendingBits, _infinity, _entryBits, _compressor, buffer, offset, _chunkBytes, out int[] known))
                _table = known;
            else
            {
                var all = Exactly(buffer, offset, _chunkBytes);
                byte[] deltas = _compressor == QrpPatch.ZlibCompressor ? Zlib.Decompress(all, rawLength, Scratch(rawLength)) : all;
                if (deltas.Length < rawLength || (_compressor != QrpPatch.ZlibCompressor && deltas.Length != rawLength))
                    throw new GnutellaProtocolException($"QRP patch holds {deltas.Length} bytes of entries, {rawLength} expected");
                if (afterReset)
                {
                    var decoded = FromDeltas(1 << _pendingBits, deltas, _entryBits);
                    if (decoded is int[] sparse) QrpTableCache.RememberDecoded(_pendingBits, _infinity, _entryBits, _compressor, all, 0, all.Length, sparse);
                    _table = decoded;
                }
                else
                {
                    ApplyDeltas(_pending, 1 << _pendingBits, deltas, _entryBits, _infinity);
                    _table = Compacted(_pending);
                }
            }
            _bits = _pendingBits;
            _cachedUpdates = null;
            Abandon();
        }

        // count bytes of buffer from offset as an array of exactly them (the buffer itself when it is one).
        static byte[] Exactly(byte[] buffer, int offset, int count)
        {
            if (offset == 0 && count == buffer.Length) return buffer;
            var exact = new byte[count];
            Buffer.BlockCopy(buffer, offset, exact, 0, count);
            return exact;
        }

        // Inflated deltas live only while a patch sequence is applied: one buffer per thread, grown to the largest table.
        [ThreadStatic] static byte[] _scratch;

        static byte[] Scratch(int length)
        {
            var scratch = _scratch;
            if (scratch == null || scratch.Length < length) _scratch = scratch = new byte[Math.Max(length, 4096)];
            return scratch;
        }

        // A table just reset (every slot at infinity) after its deltas: a slot is present where old + delta < infinity,
        // i.e. where the delta is negative. Made sparse or dense directly, as Compacted would choose.
        static object FromDeltas(int length, byte[] deltas, int entryBits)
        {
            int count = 0;
            for (int i = 0; i < length; i++) if (DeltaAt(deltas, i, entryBits) < 0) count++;
            int words = Math.Max(1, length / 64);
            if ((long)count * sizeof(int) > (long)words * sizeof(ulong) / 4)
            {
                var dense = new ulong[words];
                for (int i = 0; i < length; i++) if (DeltaAt(deltas, i, entryBits) < 0) Set(dense, i);
                return dense;
            }
            var sparse = new int[count];
            for (int i = 0, n = 0; n < count; i++) if (DeltaAt(deltas, i, entryBits) < 0) sparse[n++] = i;
            return sparse;
        }

        static int DeltaAt(byte[] deltas, int i, int entryBits)
        {
            if (entryBits == 8) return (sbyte)deltas[i];
            int nibble = (i & 1) == 0 ? deltas[i >> 1] >> 4 : deltas[i >> 1] & 0x0F;
            return nibble >= 8 ? nibble - 16 : nibble;
        }

        // Old value = 1 when present, infinity when absent (the values every QRP sender uses); present when old + delta < infinity.
        static void ApplyDeltas(ulong[] slots, int length, byte[] deltas, int entryBits, int infinity)
        {
            for (int i = 0; i < length; i++)
            {
                int delta = DeltaAt(deltas, i, entryBits);
                if (delta == 0) continue;
                int old = IsSet(slots, i) ? 1 : infinity;
                if (old + delta < infinity) Set(slots, i); else Clear(slots, i);
            }
        }

        void Abandon()
        {
            _pending = null;
            _chunks = null;
            _chunkBytes = 0;
            _nextSequence = 0;
            _resetSeen = false;
            _resetSeenWithoutPatches = false;
        }

        /// <summary>
        /// Stores the table as a sorted list of present slots when that is much smaller than its bit set (a table
        /// that will not change much more: the servent's own after it is built). Lookups then binary-search; a later
        /// <see cref="Add(string)"/> turns it back into a bit set.
        /// </summary>
        public void Compact()
        {
            if (_table is ulong[] dense) _table = Compacted(dense);
        }

        static object Compacted(ulong[] dense)
        {
            int count = CountBits(dense);
            // Sparse only when it takes at most a quarter of the bit set's bytes.
            if ((long)count * sizeof(int) > (long)dense.Length * sizeof(ulong) / 4) return dense;
            var sparse = new int[count];
            int n = 0;
            for (int w = 0; w < dense.Length; w++)
            {
                ulong x = dense[w];
                for (int b = 0; x != 0; b++, x >>= 1)
                    if ((x & 1) != 0) sparse[n++] = (w << 6) + b;
            }
            return sparse;
        }

        static bool IsPresent(object slots, int slot)
        {
            if (slots is int[] sparse) return Array.BinarySearch(sparse, slot) >= 0;
            return IsSet((ulong[])slots, slot);
        }

        // The table as a bit set this object owns, converting a sparse table back (for Add).
        ulong[] Dense()
        {
            if (_table is ulong[] dense) return dense;
            var made = DenseCopy();
            _table = made;
            return made;
        }

        // A bit-set copy of the table, whatever its form (a patch sequence edits the copy, not the current table).
        ulong[] DenseCopy()
        {
            var table = _table;
            if (table is ulong[] dense) return (ulong[])dense.Clone();
            var copy = NewSlots(_bits);
            foreach (int slot in (int[])table) Set(copy, slot);
            return copy;
        }

        static int CountBits(ulong[] slots)
        {
            int n = 0;
            foreach (ulong w in slots) { ulong x = w; while (x != 0) { x &= x - 1; n++; } }
            return n;
        }

        static ulong[] NewSlots(int bits) => new ulong[Math.Max(1, (1 << bits) / 64)];
        static bool IsSet(ulong[] s, int i) => (s[i >> 6] & (1UL << (i & 63))) != 0;
        static void Set(ulong[] s, int i) => s[i >> 6] |= 1UL << (i & 63);
        static void Clear(ulong[] s, int i) => s[i >> 6] &= ~(1UL << (i & 63));

        static int Log2(int powerOfTwo)
        {
            int n = 0;
            while ((1 << n) < powerOfTwo) n++;
            return n;
        }
    }
}
