using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace PSPeer.Engine.Napster
{
    /// <summary>
    /// Search (200) in OpenNap's form: FILENAME CONTAINS "keywords" MAX_RESULTS n. Several CONTAINS clauses add
    /// keywords; the bitrate/speed/frequency/size clauses other clients send are read and ignored (PSPeer indexes
    /// files, not audio), so their searches still work; FILENAME EXCLUDES words are honoured by the server.
    /// </summary>
    public sealed class NapsterSearchRequest
    {
        public const int DefaultMaxResults = 100;

        public NapsterSearchRequest(string keywords, int maxResults, string excluded = "")
        {
            Keywords = keywords ?? ""; MaxResults = maxResults; Excluded = excluded ?? "";
        }

        /// <summary>Every CONTAINS clause's text joined by spaces.</summary>
        public string Keywords { get; }
        public string Excluded { get; }
        public int MaxResults { get; }

        public string Format()
        {
            // Quotes cannot be escaped on this wire, so they are dropped from keywords (they are not keywords anyway).
            var sb = new StringBuilder("FILENAME CONTAINS \"").Append(Keywords.Replace("\"", " ")).Append("\" MAX_RESULTS ")
                .Append(MaxResults.ToString(CultureInfo.InvariantCulture));
            if (Excluded.Length > 0) sb.Append(" FILENAME EXCLUDES \"").Append(Excluded.Replace("\"", " ")).Append('"');
            return sb.ToString();
        }

        public static NapsterSearchRequest Parse(string payload)
        {
            var r = new NapsterFieldReader(payload, "search");
            var contains = new List<string>();
            var excludes = new List<string>();
            int max = DefaultMaxResults;
            string word;
            while ((word = r.TryWord()) != null)
            {
                switch (word.ToUpperInvariant())
                {
                    case "FILENAME":
                        string op = r.Word("CONTAINS or EXCLUDES").ToUpperInvariant();
                        if (op == "CONTAINS") contains.Add(r.Quoted("the keywords"));
                        else if (op == "EXCLUDES") excludes.Add(r.Quoted("the excluded words"));
                        else throw r.Fail($"FILENAME must be followed by CONTAINS or EXCLUDES");
                        break;
                    case "MAX_RESULTS":
                        max = r.Int("MAX_RESULTS", 0, int.MaxValue);
                        break;
                    case "LINESPEED":
                    case "BITRATE":
                    case "FREQ":
                    case "SIZE":
                    case "DURATION":
                        r.QuotedOrWord("the comparison");   // "AT LEAST", "EQUAL TO"...
                        r.QuotedOrWord("the value");
                        break;
                    case "TYPE":
                        r.QuotedOrWord("the type");
                        break;
                    case "LOCAL_ONLY":
                        break;
                    default:
                        throw r.Fail($"unknown clause '{(word.Length > 30 ? word.Substring(0, 30) : word)}'");
                }
            }
            return new NapsterSearchRequest(string.Join(" ", contains), max, string.Join(" ", excludes));
        }
    }
}
