using System;
using System.Collections.Generic;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// Answers queries from the servent's own shared files: every keyword of the criteria must be a keyword of the
    /// name (Content's tokenizer, as the Napster index uses), or a urn:sha1 of the query must be the file's hash.
    /// </summary>
    /// <remarks>
    /// A small inverted map (keyword -> files) rather than Content's KeywordIndex: that index is laid out for a
    /// million files and allocates tens of kilobytes up front, and a simulation runs 100,000 servents that share a
    /// handful of files each. Rebuilt whole when the folder changes (publishing is rare; queries are not).
    /// Immutable once built, so readers need no lock.
    /// A servent with a few files (most sharers of a simulated network) keeps only each file's keywords and checks them
    /// all per query: a map per servent would cost it a kilobyte, the scan a few comparisons. The answers are the same
    /// either way (the matching files in index order).
    /// </remarks>
    sealed class LocalFileMatcher
    {
        public static readonly LocalFileMatcher Empty = new LocalFileMatcher(new SharedFile[0]);

        /// <summary>Up to this many files, each file's keywords are scanned; beyond, an inverted map is built.</summary>
        internal const int ScanAtMost = 16;

        readonly Dictionary<string, List<SharedFile>> _byKeyword;   // null when scanning
        readonly string[][] _keywordsOf;                            // per file, when scanning
        readonly bool _anyKeyword;

        public LocalFileMatcher(IReadOnlyList<SharedFile> files)
        {
            Files = files;
            if (files.Count <= ScanAtMost)
            {
                _keywordsOf = new string[files.Count][];
                for (int i = 0; i < files.Count; i++)
                {
                    _keywordsOf[i] = KeywordTokenizer.Tokenize(files[i].Name).ToArray();
                    _anyKeyword |= _keywordsOf[i].Length > 0;
                }
                return;
            }
            _byKeyword = new Dictionary<string, List<SharedFile>>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                foreach (var token in KeywordTokenizer.Tokenize(file.Name))
                {
                    if (!_byKeyword.TryGetValue(token, out var list)) _byKeyword[token] = list = new List<SharedFile>(1);
                    if (list.Count == 0 || !ReferenceEquals(list[list.Count - 1], file)) list.Add(file);
                }
            }
            _anyKeyword = _byKeyword.Count > 0;
        }

        public IReadOnlyList<SharedFile> Files { get; }

        /// <summary>Files matching <paramref name="criteria"/> or one of <paramref name="urns"/>, at most <paramref name="max"/>.</summary>
        public List<SharedFile> Match(string criteria, IReadOnlyList<ContentHash> urns, Func<ContentHash, SharedFile> byHash, int max)
        {
            List<SharedFile> found = null;
            if (urns != null)
            {
                foreach (var urn in urns)
                {
                    var file = byHash(urn);
                    if (file == null) continue;
                    if (found == null) found = new List<SharedFile>();
                    if (!found.Contains(file)) found.Add(file);
                }
            }
            if (_anyKeyword && !string.IsNullOrEmpty(criteria))
            {
                var keywords = Keywords(criteria);
                if (keywords.Count > 0 && _keywordsOf != null)
                {
                    for (int i = 0; i < _keywordsOf.Length; i++)
                    {
                        if (found != null && found.Count >= max) break;
                        if (!HasAll(_keywordsOf[i], keywords)) continue;
                        if (found == null) found = new List<SharedFile>();
                        if (!found.Contains(Files[i])) found.Add(Files[i]);
                    }
                }
                else if (keywords.Count > 0)
                {
                    List<SharedFile> shortest = null;
                    foreach (var k in keywords)
                    {
                        if (!_byKeyword.TryGetValue(k, out var list)) { shortest = null; break; }
                        if (shortest == null || list.Count < shortest.Count) shortest = list;
                    }
                    if (shortest != null)
                    {
                        foreach (var file in shortest)
                        {
                            if (found != null && found.Count >= max) break;
                            if (!HasAll(file, keywords)) continue;
                            if (found == null) found = new List<SharedFile>();
                            if (!found.Contains(file)) found.Add(file);
                        }
                    }
                }
            }
            return found;
        }

        // A flood brings the same criteria to servent after servent on the loop's thread: the last one's keywords are
        // kept (per thread; the list is only read, and never leaves Match).
        [ThreadStatic] static string t_lastCriteria;
        [ThreadStatic] static List<string> t_lastKeywords;

        static List<string> Keywords(string criteria)
        {
            if (t_lastKeywords != null && string.Equals(criteria, t_lastCriteria, StringComparison.Ordinal)) return t_lastKeywords;
            var keywords = KeywordTokenizer.Tokenize(criteria);
            t_lastCriteria = criteria;
            t_lastKeywords = keywords;
            return keywords;
        }

        static bool HasAll(string[] fileKeywords, List<string> keywords)
        {
            foreach (var k in keywords)
                if (Array.IndexOf(fileKeywords, k) < 0) return false;
            return true;
        }

        bool HasAll(SharedFile file, List<string> keywords)
        {
            foreach (var k in keywords)
            {
                var list = _byKeyword[k];
                if (!list.Contains(file)) return false;
            }
            return true;
        }
    }
}
