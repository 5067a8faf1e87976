using System;
using System.Security.Cryptography;

namespace PSPeer.Dashboard
{
    /// <summary>
    /// The secret a dashboard's URL carries: 256 random bits from the system's cryptographic generator, as URL-safe
    /// base64, so nothing else on the machine (another user, a web page probing 127.0.0.1) can read the page or its
    /// event stream without having been shown the URL.
    /// </summary>
    internal static class DashboardToken
    {
        public static string Create()
        {
            var bytes = new byte[32];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }

        /// <summary>Compares in time independent of where the texts differ, so the token cannot be guessed byte by byte.</summary>
        public static bool Matches(string expected, string given)
        {
            if (expected == null || given == null) return false;
            int diff = expected.Length ^ given.Length;
            for (int i = 0; i < expected.Length; i++)
                diff |= expected[i] ^ (i < given.Length ? given[i] : 0);
            return diff == 0;
        }
    }
}
