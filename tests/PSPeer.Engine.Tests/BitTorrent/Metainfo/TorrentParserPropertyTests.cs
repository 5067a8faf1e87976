using System;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PSPeer.Engine.Bencoding;
using PSPeer.Engine.BitTorrent;
using PSPeer.Engine.Core;
using PSPeer.Engine.Tests.Content;

namespace PSPeer.Engine.Tests.BitTorrent.Metainfo
{
    /// <summary>
    /// Bad input from a file or a peer must never throw anything but the codec's and the parser's own errors. Random
    /// bytes, bencode-alphabet soup, and valid torrents with random edits go through Bencode.Decode and
    /// TorrentMetainfo.Parse; each property runs a fixed number of cases, so the time is bounded.
    /// </summary>
    public class TorrentParserPropertyTests
    {
        static readonly byte[] ValidTorrent = BuildValid();

        static byte[] BuildValid()
        {
            var a = TempFolder.RandomBytes(40_000, 21);
            var info = TorrentBytes.MultiFileInfo("folder", 16384, ("a/b.bin", a), ("c.txt", TempFolder.RandomBytes(100, 22)));
            var root = new BDictionary();
            root["announce"] = new BString("http://t/announce");
            root["announce-list"] = new BList { new BList { new BString("http://t/announce") } };
            root["comment"] = new BString("c");
            root["creation date"] = new BInteger(1_700_000_000);
            root["info"] = info;
            return Bencode.Encode(root);
        }

        /// <summary>True when parsing either succeeds or fails with one of the documented errors.</summary>
        static bool FailsOnlyAsDocumented(byte[] data)
        {
            try
            {
                Bencode.Decode(data);
            }
            catch (BencodeException)
            {
            }
            try
            {
                var t = TorrentMetainfo.Parse(data);
                // What parses must be usable: every accessor, and writing it back.
                for (int i = 0; i < t.PieceCount; i++) t.GetPieceSize(i);
                TorrentMetainfo.Parse(t.ToBytes());
                return t.MagnetLink.StartsWith("magnet:?xt=urn:btih:" + t.InfoHash.Hex, StringComparison.Ordinal);
            }
            catch (BencodeException)
            {
                return true;
            }
            catch (PeerException e) when (e.ErrorId == PeerErrorIds.InvalidTorrent || e.ErrorId == PeerErrorIds.UnsafeFileName)
            {
                return true;
            }
        }

        static readonly Arbitrary<byte[]> BencodeSoup =
            Gen.Elements(Encoding.ASCII.GetBytes("ilde0123456789:-e"))
               .ArrayOf()
               .ToArbitrary();

        /// <summary>(position, new byte, kind) edits: 0 replaces, 1 inserts, 2 deletes, 3 truncates.</summary>
        static readonly Arbitrary<(int position, byte value, int kind)[]> Edits =
            Gen.Zip(Gen.Zip(Gen.Choose(0, int.MaxValue), ArbMap.Default.GeneratorFor<byte>(), (p, v) => (p, v)), Gen.Choose(0, 3),
                    (pv, k) => (pv.p, pv.v, k))
               .NonEmptyListOf()
               .Select(l => l.Take(8).ToArray())
               .ToArbitrary();

        static byte[] Apply(byte[] original, (int position, byte value, int kind)[] edits)
        {
            var bytes = original.ToList();
            foreach (var (position, value, kind) in edits)
            {
                if (bytes.Count == 0) break;
                int at = position % bytes.Count;
                switch (kind)
                {
                    case 0: bytes[at] = value; break;
                    case 1: bytes.Insert(at, value); break;
                    case 2: bytes.RemoveAt(at); break;
                    default: bytes.RemoveRange(at, bytes.Count - at); break;
                }
            }
            return bytes.ToArray();
        }

        [Property(MaxTest = 3000)]
        public bool RandomBytesFailOnlyAsDocumented(byte[] data) => FailsOnlyAsDocumented(data ?? new byte[0]);

        [Property(MaxTest = 3000)]
        public Property BencodeAlphabetSoupFailsOnlyAsDocumented() =>
            Prop.ForAll(BencodeSoup, FailsOnlyAsDocumented);

        [Property(MaxTest = 3000)]
        public Property EditedValidTorrentsFailOnlyAsDocumented() =>
            Prop.ForAll(Edits, edits => FailsOnlyAsDocumented(Apply(ValidTorrent, edits)));

        [Property(MaxTest = 500)]
        public Property ValidTorrentWithTextFieldsRoundTrips() =>
            Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), comment =>
            {
                var root = (BDictionary)Bencode.Decode(ValidTorrent);
                root["comment"] = new BString(comment.Get);
                var bytes = Bencode.Encode(root);
                var t = TorrentMetainfo.Parse(bytes);
                return t.ToBytes().SequenceEqual(bytes) && t.InfoHash == TorrentMetainfo.Parse(ValidTorrent).InfoHash;
            });
    }
}
