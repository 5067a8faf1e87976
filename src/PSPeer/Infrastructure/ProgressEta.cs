using System;

namespace PSPeer
{
    /// <summary>The ETA of a progress record (ProgressRecord.SecondsRemaining), from bytes done, the total and the rate.</summary>
    internal static class ProgressEta
    {
        /// <summary>Seconds left at the current rate, rounded up; -1 (PowerShell's "unknown") when the total or rate is unknown.</summary>
        public static int SecondsRemaining(long done, long total, double bytesPerSecond)
        {
            if (total <= 0 || done < 0 || double.IsNaN(bytesPerSecond) || bytesPerSecond <= 0) return -1;
            double left = Math.Max(0, total - done) / bytesPerSecond;
            return left >= int.MaxValue ? -1 : (int)Math.Ceiling(left);
        }
    }
}
