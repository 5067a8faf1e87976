using System;
using System.Text;
using PSPeer.Engine.Core;

namespace PSPeer.Benchmarks
{
    /// <summary>
    /// Deterministic "music" names for the index benchmark. Words are drawn from a vocabulary either Zipf-distributed
    /// (the default, as word use in real titles is: a few words like "love" are everywhere, most are rare) or uniform
    /// over a small vocabulary (the worst case for an inverted index: every posting list is long).
    /// </summary>
    static class SyntheticLibrary
    {
        static int VocabularySize = 50_000;
        static bool Zipf = true;
        static string[] Words = BuildVocabulary();
        static double[] Cumulative = BuildCumulative();

        /// <summary>"zipf" (50,000 words, Zipf s=1) or "uniform" (3,000 words, equally likely).</summary>
        public static string Model => Zipf ? $"Zipf(1) over {VocabularySize:N0} words" : $"uniform over {VocabularySize:N0} words";

        public static void Configure(string model)
        {
            Zipf = model != "uniform";
            VocabularySize = Zipf ? 50_000 : 3_000;
            Words = BuildVocabulary();
            Cumulative = BuildCumulative();
        }

        static double[] BuildCumulative()
        {
            var c = new double[VocabularySize];
            double sum = 0;
            for (int r = 0; r < c.Length; r++) { sum += Zipf ? 1.0 / (r + 1) : 1.0; c[r] = sum; }
            for (int r = 0; r < c.Length; r++) c[r] /= sum;
            return c;
        }

        static string Word(Random rng)
        {
            int i = Array.BinarySearch(Cumulative, rng.NextDouble());
            if (i < 0) i = ~i;
            return Words[Math.Min(i, Words.Length - 1)];
        }

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
            for (int i = 0; i < artistWords; i++) Title(sb, Word(rng)).Append(' ');
            sb.Append("- ");
            for (int i = 0; i < titleWords; i++) Title(sb, Word(rng)).Append(i + 1 < titleWords ? " " : "");
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
            if (tokens.Count < 2) return tokens[0];
            int a = rng.Next(tokens.Count), b = rng.Next(tokens.Count - 1);
            if (b >= a) b++;
            return tokens[a] + " " + tokens[b];
        }
    }
}
