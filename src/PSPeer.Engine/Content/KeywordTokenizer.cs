using System;
using System.Collections.Generic;
using System.Text;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// Splits names and queries into keywords: case- and punctuation-insensitive, so "Hey_Jude (Remastered).mp3"
    /// yields hey, jude, remastered, mp3.
    /// </summary>
    public static class KeywordTokenizer
    {
        public static List<string> Tokenize(string text)
        {
            var tokens = new List<string>();
            if (string.IsNullOrEmpty(text)) return tokens;
            var sb = new StringBuilder();
            foreach (char c in text)
            {
                if (char.IsLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
                else if (sb.Length > 0) { Add(tokens, sb.ToString()); sb.Clear(); }
            }
            if (sb.Length > 0) Add(tokens, sb.ToString());
            return tokens;
        }

        static void Add(List<string> tokens, string token)
        {
            if (!tokens.Contains(token)) tokens.Add(token);
        }
    }
}
