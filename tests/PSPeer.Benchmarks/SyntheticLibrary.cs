using System;
using System.Text;
using PSPeer.Engine.Core;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// Deterministic "music" names for the index benchmark: artist and title words drawn from a fixed vocabulary,
    /// so a two-keyword query matches a handful of files out of a million, as on a real index.
    /// </summary>
    static class SyntheticLibrary
    {
        public const int VocabularySize = 3000;
        static readonly string[] Words = BuildVocabulary();

        static string[] BuildVocabulary()
        {
            var rng = new Random(7);
            const string letters = "abcdefghijklmnoprstuvwy";
            var words = new string[VocabularySize];
            for (int i = 0; i < words.Length; i++)
            {
                var sb = new StringBuilder();
                int len = 3 + rng.Next(6);
                for (int j = 0; j < len; j++) sb.Append(letters[rng.Next(letters.Length)]);
                sb.Append(i.ToString("x")); // unique words
                words[i] = sb.ToString();
            }
            return words;
        }

        /// <summary>The name of file <paramref name="fileIndex"/> of peer <paramref name="peer"/>, e.g. "Abc Def - Ghi Jkl Mno.mp3".</summary>
        public static string Name(int peer, int fileIndex)
        {
            var rng = new Random(peer * 100_003 + fileIndex);
            var sb = new StringBuilder(48);
            int artistWords = 1 + rng.Next(2), titleWords = 2 + rng.Next(3);
            for (int i = 0; i < artistWords; i++) Title(sb, Words[rng.Next(VocabularySize)]).Append(' ');
            sb.Append("- ");
            for (int i = 0; i < titleWords; i++) Title(sb, Words[rng.Next(VocabularySize)]).Append(i + 1 < titleWords ? " " : "");
            return sb.Append(".mp3").ToString();
        }

        static StringBuilder Title(StringBuilder sb, string word) => sb.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);

        public static ContentHash Hash(int peer, int fileIndex)
        {
            var bytes = new byte[20];
            new Random(peer * 7919 + fileIndex * 31 + 1).NextBytes(bytes);
            return new ContentHash(bytes);
        }

        public static long Size(int peer, int fileIndex) => 3_000_000 + (peer * 31 + fileIndex * 17) % 5_000_000;

        /// <summary>A query of two keywords taken from an existing name, so every query has at least one hit.</summary>
        public static string Query(Random rng, int peers, int filesPerPeer)
        {
            var tokens = PSPeer.Engine.Content.KeywordTokenizer.Tokenize(Name(rng.Next(peers), rng.Next(filesPerPeer)));
            tokens.Remove("mp3");
            int a = rng.Next(tokens.Count), b = rng.Next(tokens.Count - 1);
            if (b >= a) b++;
            return tokens[a] + " " + tokens[b];
        }
    }
}
