using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// A parsed .torrent (BEP 3 single- and multi-file, BEP 12 announce-list). Immutable. The info-hash is the SHA-1 of
    /// the info dictionary's bytes exactly as read, so torrents with unsorted keys keep the hash their creator gave them.
    /// </summary>
    public sealed class TorrentMetainfo
    {
        /// <summary>Largest piece accepted when reading (libtorrent and mktorrent never make more than 16-32 MiB).</summary>
        public const int MaxPieceLength = 128 * 1024 * 1024;

        readonly byte[] _pieces;
        readonly BDictionary _root;

        TorrentMetainfo(BDictionary root, byte[] infoBytes, string name, bool isMultiFile, List<TorrentFile> files,
            long totalSize, int pieceLength, byte[] pieces, bool isPrivate)
        {
            // Keep the outer keys only: the info dictionary lives on as InfoBytes (and the piece hashes), not thrice.
            _root = new BDictionary();
            foreach (var entry in root.Entries)
                if (entry.Key.Text != "info") _root[entry.Key] = entry.Value;
            InfoBytes = infoBytes;
            Name = name;
            IsMultiFile = isMultiFile;
            Files = files.AsReadOnly();
            TotalSize = totalSize;
            PieceLength = pieceLength;
            _pieces = pieces;
            PieceCount = pieces.Length / 20;
            IsPrivate = isPrivate;
            using (var sha = SHA1.Create()) InfoHash = new InfoHash(sha.ComputeHash(infoBytes));

            Announce = root.GetText("announce");
            AnnounceList = ReadAnnounceList(root);
            Trackers = FlattenTrackers(Announce, AnnounceList);
            Comment = root.GetText("comment");
            CreatedBy = root.GetText("created by");
            CreationDate = ReadDate(root.GetInteger("creation date"));
            MagnetLink = BuildMagnet();
        }

        public string Name { get; }
        public bool IsMultiFile { get; }
        public IReadOnlyList<TorrentFile> Files { get; }
        public long TotalSize { get; }
        public int PieceLength { get; }
        public int PieceCount { get; }
        public InfoHash InfoHash { get; }

        /// <summary>The info dictionary's bytes exactly as read. Do not modify.</summary>
        public byte[] InfoBytes { get; }

        /// <summary>The "announce" URL, or null.</summary>
        public string Announce { get; }

        /// <summary>BEP 12 tiers; empty when the torrent has no announce-list.</summary>
        public IReadOnlyList<IReadOnlyList<string>> AnnounceList { get; }

        /// <summary>Every tracker URL once: announce first, then the announce-list tiers in order.</summary>
        public IReadOnlyList<string> Trackers { get; }

        public bool IsPrivate { get; }
        public string Comment { get; }
        public string CreatedBy { get; }
        public DateTimeOffset? CreationDate { get; }

        /// <summary>magnet:?xt=urn:btih:HEX&amp;dn=NAME&amp;xl=SIZE&amp;tr=URL...</summary>
        public string MagnetLink { get; }

        /// <summary>Size of a piece: PieceLength for all but the last, which holds what is left.</summary>
        public int GetPieceSize(int index)
        {
            if (index < 0 || index >= PieceCount) throw new ArgumentOutOfRangeException(nameof(index), "Piece " + index + " is outside 0.." + (PieceCount - 1) + ".");
            if (index < PieceCount - 1) return PieceLength;
            return (int)(TotalSize - (long)PieceLength * (PieceCount - 1));
        }

        /// <summary>A copy of the piece's 20-byte SHA-1.</summary>
        public byte[] GetPieceHash(int index)
        {
            if (index < 0 || index >= PieceCount) throw new ArgumentOutOfRangeException(nameof(index));
            var hash = new byte[20];
            Buffer.BlockCopy(_pieces, index * 20, hash, 0, 20);
            return hash;
        }

        /// <summary>True when <paramref name="sha1"/> (20 bytes) is the expected hash of the piece.</summary>
        public bool CheckPieceHash(int index, byte[] sha1)
        {
            if (index < 0 || index >= PieceCount) throw new ArgumentOutOfRangeException(nameof(index));
            if (sha1 == null || sha1.Length != 20) return false;
            int at = index * 20;
            int diff = 0;
            for (int i = 0; i < 20; i++) diff |= _pieces[at + i] ^ sha1[i];
            return diff == 0;
        }

        /// <summary>The torrent as bencode: outer keys re-encoded canonically, the info dictionary byte for byte as read.</summary>
        public byte[] ToBytes()
        {
            var copy = new BDictionary();
            foreach (var entry in _root.Entries) copy[entry.Key] = entry.Value;
            copy["info"] = new BRawValue(InfoBytes);
            return Bencode.Encode(copy);
        }

        public override string ToString() => Name + " (" + InfoHash.Hex + ")";

        /// <summary>Reads a .torrent from storage. Missing file: PeerException(TorrentNotFound); bad content:
        /// PeerException(InvalidTorrent or UnsafeFileName) whose message names the file.</summary>
        public static TorrentMetainfo Load(IFileStorage storage, string path)
        {
            if (storage == null) throw new ArgumentNullException(nameof(storage));
            if (string.IsNullOrEmpty(path)) throw new ArgumentException("A torrent path is required.", nameof(path));
            if (!storage.FileExists(path))
                throw new PeerException(PeerErrorIds.TorrentNotFound, "The torrent file '" + path + "' does not exist. Check the path.");
            byte[] data;
            using (var stream = storage.OpenRead(path))
            {
                long length = stream.CanSeek ? stream.Length : -1;
                if (length > BencodeLimits.Default.MaxTotalBytes)
                    throw new PeerException(PeerErrorIds.InvalidTorrent, "'" + path + "' is " + length + " bytes, too large to be a torrent file.");
                data = ReadAll(stream, BencodeLimits.Default.MaxTotalBytes, path);
            }
            try
            {
                return Parse(data);
            }
            catch (BencodeException e)
            {
                throw new PeerException(PeerErrorIds.InvalidTorrent, "'" + path + "' is not a valid torrent file: " + e.Message + ".", e);
            }
            catch (PeerException e)
            {
                throw new PeerException(e.ErrorId, "'" + path + "': " + e.Message, e);
            }
        }

        static byte[] ReadAll(Stream stream, long limit, string path)
        {
            using (var ms = new MemoryStream())
            {
                var buffer = new byte[81920];
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    ms.Write(buffer, 0, n);
                    if (ms.Length > limit)
                        throw new PeerException(PeerErrorIds.InvalidTorrent, "'" + path + "' is too large to be a torrent file.");
                }
                return ms.ToArray();
            }
        }

        /// <summary>
        /// Parses .torrent bytes. Throws BencodeException when they are not bencode, PeerException(InvalidTorrent) naming
        /// the field that breaks BEP 3, PeerException(UnsafeFileName) naming an unsafe path.
        /// </summary>
        public static TorrentMetainfo Parse(byte[] torrentBytes) => Parse(torrentBytes, null);

        public static TorrentMetainfo Parse(byte[] torrentBytes, BencodeLimits limits)
        {
            if (torrentBytes == null) throw new ArgumentNullException(nameof(torrentBytes));
            var root = Bencode.Decode(torrentBytes, limits) as BDictionary;
            if (root == null) throw Invalid("the file is bencode but not a dictionary");
            var info = root["info"] as BDictionary;
            if (info == null) throw Invalid(root.ContainsKey("info") ? "'info' is not a dictionary" : "'info' is missing");

            var infoBytes = new byte[info.SourceLength];
            Buffer.BlockCopy(torrentBytes, info.SourceOffset, infoBytes, 0, info.SourceLength);

            var name = Utf8Field(info, "name");
            if (name == null) throw Invalid("'info/name' is missing or not a string");
            TorrentPathValidator.Validate(new[] { name }, "info/name");

            var pieceLengthValue = info.GetInteger("piece length");
            if (pieceLengthValue == null) throw Invalid("'info/piece length' is missing or not an integer");
            if (pieceLengthValue <= 0 || pieceLengthValue > MaxPieceLength)
                throw Invalid("'info/piece length' is " + pieceLengthValue + "; expected 1 to " + MaxPieceLength + " bytes");
            int pieceLength = (int)pieceLengthValue.Value;

            var pieces = info.GetBytes("pieces");
            if (pieces == null) throw Invalid("'info/pieces' is missing or not a string");
            if (pieces.Length % 20 != 0) throw Invalid("'info/pieces' is " + pieces.Length + " bytes, not a multiple of 20");

            var files = new List<TorrentFile>();
            long total;
            bool isMultiFile;
            var lengthValue = info["length"];
            var filesValue = info["files"];
            if (lengthValue != null && filesValue != null) throw Invalid("'info' has both 'length' and 'files'");
            if (lengthValue != null)
            {
                isMultiFile = false;
                var length = lengthValue as BInteger;
                if (length == null || length.Value < 0) throw Invalid("'info/length' is not a non-negative integer");
                total = length.Value;
                files.Add(new TorrentFile(name, total, 0));
            }
            else if (filesValue != null)
            {
                isMultiFile = true;
                total = ReadFiles(filesValue as BList, files);
            }
            else throw Invalid("'info' has neither 'length' nor 'files'");

            long expectedPieces = total == 0 ? 0 : (total - 1) / pieceLength + 1;
            if (expectedPieces != pieces.Length / 20)
                throw Invalid("'info/pieces' has " + pieces.Length / 20 + " hashes but " + total + " bytes in pieces of " + pieceLength + " need " + expectedPieces);

            var privateValue = info["private"];
            bool isPrivate = privateValue is BInteger p && p.Value == 1;

            return new TorrentMetainfo(root, infoBytes, name, isMultiFile, files, total, pieceLength, pieces, isPrivate);
        }

        static long ReadFiles(BList list, List<TorrentFile> files)
        {
            if (list == null) throw Invalid("'info/files' is not a list");
            if (list.Count == 0) throw Invalid("'info/files' is empty");
            long total = 0;
            var seenFiles = new HashSet<string>(StringComparer.Ordinal);
            var seenFolders = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < list.Count; i++)
            {
                var field = "info/files/" + i.ToString(CultureInfo.InvariantCulture);
                var entry = list[i] as BDictionary;
                if (entry == null) throw Invalid("'" + field + "' is not a dictionary");
                var length = entry.GetInteger("length");
                if (length == null || length < 0) throw Invalid("'" + field + "/length' is missing or negative");
                // Prefer path.utf-8 when present: older clients wrote "path" in the creator's code page.
                var pathList = entry.GetList("path.utf-8") ?? entry.GetList("path");
                if (pathList == null) throw Invalid("'" + field + "/path' is missing or not a list");
                var segments = new List<string>(pathList.Count);
                foreach (var segment in pathList)
                {
                    var s = segment as BString;
                    if (s == null) throw Invalid("'" + field + "/path' has an element that is not a string");
                    segments.Add(s.Text);
                }
                TorrentPathValidator.Validate(segments, field + "/path");
                var path = string.Join("/", segments);
                if (!seenFiles.Add(path)) throw Invalid("'" + field + "' repeats the file '" + path + "'");
                for (int k = 1; k < segments.Count; k++) seenFolders.Add(string.Join("/", segments.GetRange(0, k)));
                if (total > long.MaxValue - length.Value) throw Invalid("the file lengths add up to more than 2^63 bytes");
                files.Add(new TorrentFile(path, length.Value, total));
                total += length.Value;
            }
            foreach (var f in files)
                if (seenFolders.Contains(f.Path)) throw Invalid("'" + f.Path + "' is both a file and a folder");
            return total;
        }

        static string Utf8Field(BDictionary d, string key) => d.GetText(key + ".utf-8") ?? d.GetText(key);

        static PeerException Invalid(string what) =>
            new PeerException(PeerErrorIds.InvalidTorrent, "Invalid torrent: " + what + ".");

        static IReadOnlyList<IReadOnlyList<string>> ReadAnnounceList(BDictionary root)
        {
            // Optional metadata: malformed entries are skipped rather than refusing a torrent whose content is fine.
            var tiers = new List<IReadOnlyList<string>>();
            var list = root.GetList("announce-list");
            if (list == null) return tiers.AsReadOnly();
            foreach (var tierValue in list)
            {
                var tier = tierValue as BList;
                if (tier == null) continue;
                var urls = new List<string>();
                foreach (var url in tier)
                    if (url is BString s && s.Bytes.Length > 0) urls.Add(s.Text);
                if (urls.Count > 0) tiers.Add(urls.AsReadOnly());
            }
            return tiers.AsReadOnly();
        }

        static IReadOnlyList<string> FlattenTrackers(string announce, IReadOnlyList<IReadOnlyList<string>> tiers)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var result = new List<string>();
            if (!string.IsNullOrEmpty(announce) && seen.Add(announce)) result.Add(announce);
            foreach (var tier in tiers)
                foreach (var url in tier)
                    if (seen.Add(url)) result.Add(url);
            return result.AsReadOnly();
        }

        static DateTimeOffset? ReadDate(long? seconds)
        {
            // DateTimeOffset covers years 1..9999; anything else is nonsense metadata, shown as no date.
            if (seconds == null || seconds < -62135596800L || seconds > 253402300799L) return null;
            return DateTimeOffset.FromUnixTimeSeconds(seconds.Value);
        }

        string BuildMagnet()
        {
            var sb = new StringBuilder("magnet:?xt=urn:btih:");
            sb.Append(InfoHash.Hex);
            sb.Append("&dn=").Append(Uri.EscapeDataString(Name));
            sb.Append("&xl=").Append(TotalSize.ToString(CultureInfo.InvariantCulture));
            foreach (var tracker in Trackers) sb.Append("&tr=").Append(Uri.EscapeDataString(tracker));
            return sb.ToString();
        }
    }
}
