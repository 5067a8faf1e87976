using System;
using System.Globalization;

namespace PSPeer
{
    /// <summary>Human-readable sizes, rates and durations for the table views (PSPeer.Format.ps1xml).</summary>
    public static class DisplayText
    {
        static readonly string[] Units = { "B", "KB", "MB", "GB", "TB" };

        /// <summary>1536 -> "1.5 KB"; negative (unknown) -> "?".</summary>
        public static string Size(long bytes)
        {
            if (bytes < 0) return "?";
            double value = bytes;
            int unit = 0;
            while (value >= 1024 && unit < Units.Length - 1) { value /= 1024; unit++; }
            return unit == 0
                ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
                : value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + Units[unit];
        }

        public static string Rate(double bytesPerSecond) =>
            Size(double.IsNaN(bytesPerSecond) || bytesPerSecond < 0 ? 0 : (long)bytesPerSecond) + "/s";

        /// <summary>"850 ms", "4.2 s", "3m 05s", "1h 02m".</summary>
        public static string Duration(TimeSpan span)
        {
            if (span < TimeSpan.Zero) span = TimeSpan.Zero;
            if (span.TotalSeconds < 1) return ((int)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms";
            if (span.TotalMinutes < 1) return span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
            if (span.TotalHours < 1) return string.Format(CultureInfo.InvariantCulture, "{0}m {1:00}s", (int)span.TotalMinutes, span.Seconds);
            return string.Format(CultureInfo.InvariantCulture, "{0}h {1:00}m", (int)span.TotalHours, span.Minutes);
        }
    

        /// <summary>
        /// A BitTorrent seeder's or leecher's state in one cell: "42% ↓12 MB/s ↑1.0 MB/s 3 peers"; "" for other nodes
        /// and for a node that is not running (its rates would be stale).
        /// </summary>
        public static string Swarm(PeerNode node)
        {
            if (node?.Progress == null || node.State != Engine.Core.NodeState.Running) return "";
            int percent = (int)Math.Floor(node.Progress.Value * 100);
            // Rates before the peer count, so that a narrow console cuts the least useful part.
            return string.Format(CultureInfo.InvariantCulture, "{0}% \u2193{1} \u2191{2} {3} peer{4}", percent,
                Rate(node.DownloadRate ?? 0), Rate(node.UploadRate ?? 0), node.PeerCount, node.PeerCount == 1 ? "" : "s");
        }
    }
}
