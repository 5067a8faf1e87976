using System;
using System.Collections.Generic;
using System.Text;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.Networks
{
    /// <summary>
    /// A small, seeded music library that gives searches something to find. Titles are drawn with Zipf-like
    /// popularity (the first title, "Hey Jude", is the most common); every copy of a title has the same bytes, so
    /// hits from different nodes share one content hash, as copies of one rip do.
    /// </summary>
    public static class SyntheticLibrary
    {
        public static readonly IReadOnlyList<string> Titles = new[]
        {
            "The Beatles - Hey Jude", "The Beatles - Let It Be", "The Beatles - Yesterday", "Queen - Bohemian Rhapsody",
            "Nirvana - Smells Like Teen Spirit", "Radiohead - Paranoid Android", "David Bowie - Heroes", "Pink Floyd - Time",
            "Led Zeppelin - Kashmir", "The Rolling Stones - Paint It Black", "Bob Dylan - Like a Rolling Stone",
            "The Beach Boys - God Only Knows", "Joy Division - Love Will Tear Us Apart", "The Clash - London Calling",
            "Marvin Gaye - What's Going On", "Aretha Franklin - Respect", "The Kinks - Waterloo Sunset",
            "Fleetwood Mac - Dreams", "The Doors - Riders on the Storm", "Talking Heads - Once in a Lifetime",
        };

        /// <summary>The file name of a title.</summary>
        public static string FileName(int title) => Titles[title] + ".mp3";

        /// <summary>The bytes of a title: a few hundred, derived from the title alone (same everywhere).</summary>
        public static byte[] Content(int title)
        {
            var text = Encoding.UTF8.GetBytes("PSPeer synthetic library: " + Titles[title] + "\n");
            var bytes = new byte[256 + 37 * title];
            for (int i = 0; i < bytes.Length; i++) bytes[i] = text[i % text.Length];
            return bytes;
        }

        /// <summary><paramref name="count"/> distinct titles drawn by popularity (weight 1/(rank+1)).</summary>
        public static IReadOnlyList<int> Pick(IRandomSource random, int count)
        {
            count = Math.Min(count, Titles.Count);
            double total = 0;
            for (int i = 0; i < Titles.Count; i++) total += 1.0 / (i + 1);
            var picked = new List<int>(count);
            while (picked.Count < count)
            {
                double x = random.NextDouble() * total;
                int title = 0;
                for (; title < Titles.Count - 1; title++)
                {
                    x -= 1.0 / (title + 1);
                    if (x < 0) break;
                }
                if (!picked.Contains(title)) picked.Add(title);
            }
            return picked;
        }
    }
}
