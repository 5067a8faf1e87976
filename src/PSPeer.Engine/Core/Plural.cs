using System.Globalization;

namespace PSPeer.Engine.Core
{
    /// <summary>"1 peer", "3 peers", "0 hits": counts in messages, events and progress read as English.</summary>
    public static class Plural
    {
        /// <summary>The count and the noun, singular for exactly one (the plural adds "s" unless given).</summary>
        public static string Of(long count, string singular, string plural = null) =>
            count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural ?? singular + "s");
    }
}
