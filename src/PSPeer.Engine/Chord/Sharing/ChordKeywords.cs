using System;
using System.Collections.Generic;
using System.IO;
using PSPeer.Engine.Content;

namespace PSPeer.Engine.Chord.Sharing
{
    /// <summary>
    /// The keywords a file is published under on the ring, and those a query looks up: the words of the name without
    /// its extension, lower-case, leaving out words too common to narrow anything down (one key per such word would
    /// gather a pointer to nearly every file on one node). Each keyword's pointers live at the key "kw:&lt;keyword&gt;",
    /// so they never collide with a user's keys.
    /// </summary>
    public static class ChordKeywords
    {
        /// <summary>The prefix of keyword keys.</summary>
        public const string KeyPrefix = "kw:";

        /// <summary>Words that say nothing about which file is meant (English function words and media boilerplate).</summary>
        static readonly HashSet<string> TooCommon = new HashSet<string>(StringComparer.Ordinal)
        {
            "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or", "the",
            "to", "with", "feat", "ft", "vs", "mp3", "ogg", "flac", "wav", "avi", "mkv", "mp4", "remastered", "remaster",
            "version", "edit", "mix", "original", "track", "disc", "cd",
        };

        /// <summary>The keywords of a file's name: its words without the extension, the too common ones and single characters left out.</summary>
        public static IReadOnlyList<string> OfFileName(string fileName)
        {
            if (string.IsNullOrEmpty(fileName)) return Array.Empty<string>();
            string stem = Path.GetFileNameWithoutExtension(fileName);
            return Meaningful(KeywordTokenizer.Tokenize(string.IsNullOrEmpty(stem) ? fileName : stem));
        }

        /// <summary>The keywords a query looks up (the same rule as names, so "Hey Jude.mp3" and "hey jude" meet).</summary>
        public static IReadOnlyList<string> OfQuery(string query) => Meaningful(KeywordTokenizer.Tokenize(query ?? ""));

        /// <summary>The ring key for a keyword: "kw:" and the keyword.</summary>
        public static string KeyOf(string keyword) => KeyPrefix + keyword;

        static IReadOnlyList<string> Meaningful(List<string> tokens)
        {
            var kept = new List<string>(tokens.Count);
            foreach (var t in tokens)
                if (t.Length > 1 && !TooCommon.Contains(t)) kept.Add(t);
            // A name made only of common words still needs a key to be found by.
            if (kept.Count == 0)
                foreach (var t in tokens)
                    if (t.Length > 0) kept.Add(t);
            return kept;
        }
    }
}
