using System.Text;

namespace PSPeer.Charts
{
    /// <summary>
    /// Text on a chart may come from the network (a torrent's name, a node's name): it is made safe to carry in XML
    /// (no control characters, which an XML writer refuses, no lone surrogates) and short enough for a title. Escaping
    /// the markup itself is the writers' job (the XML and HTML encoders), done on every string they emit.
    /// </summary>
    internal static class ChartText
    {
        /// <summary>Longest title or name kept (a note, written by the chart itself around such names, may be longer).</summary>
        public const int MaxLength = 160;

        public static string Clean(string text, int maxLength = MaxLength)
        {
            if (string.IsNullOrEmpty(text)) return text ?? "";
            var sb = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length && sb.Length < maxLength; i++)
            {
                char c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { sb.Append(c).Append(text[++i]); continue; }
                if (char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') { sb.Append('\uFFFD'); continue; }
                sb.Append(c < ' ' || c == '\u007F' ? ' ' : c);
            }
            if (sb.Length >= maxLength && text.Length > maxLength) sb.Append('…');
            return sb.ToString();
        }
    }
}
