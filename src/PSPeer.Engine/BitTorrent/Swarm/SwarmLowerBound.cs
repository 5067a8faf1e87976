using System;
using System.Collections.Generic;
using System.Linq;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>
    /// The least time in which a swarm can give every leecher the whole file, from its upload (and download) limits
    /// (the fluid bound of Kumar and Ross, 2006): every byte leaves the seeds at least once, no leecher downloads faster
    /// than its limit, and the N copies to deliver are uploaded at most at the swarm's total upload rate:
    /// T ≥ max(F / Σu_seed, F / min d_i, N·F / (Σu_seed + Σu_i)). No leecher can finish all of them sooner.
    /// </summary>
    public static class SwarmLowerBound
    {
        /// <summary>
        /// The bound for <paramref name="size"/> bytes; null when it is not defined: no seed, or an uploader with no
        /// limit (0 means unlimited, and an unlimited uploader makes the bound 0). A download limit of 0 is no limit.
        /// </summary>
        public static TimeSpan? Of(long size, IReadOnlyCollection<long> seedUploads, IReadOnlyCollection<long> leecherUploads,
            IReadOnlyCollection<long> leecherDownloads = null)
        {
            if (size <= 0 || seedUploads == null || seedUploads.Count == 0 || leecherUploads == null || leecherUploads.Count == 0) return null;
            if (seedUploads.Any(u => u <= 0) || leecherUploads.Any(u => u <= 0)) return null;
            double seeds = seedUploads.Sum(u => (double)u);
            double all = seeds + leecherUploads.Sum(u => (double)u);
            double seconds = Math.Max(size / seeds, leecherUploads.Count * (double)size / all);
            var limited = leecherDownloads?.Where(d => d > 0).ToList();
            if (limited != null && limited.Count > 0) seconds = Math.Max(seconds, size / (double)limited.Min());
            return TimeSpan.FromSeconds(seconds);
        }
    }
}
