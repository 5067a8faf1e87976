using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Napster
{
    /// <summary>
    /// Measures the process's managed heap (GC.GetTotalMemory) around building an index, so it must run alone: in the
    /// parallel phase, other tests' allocations landed in the figure (585 bytes/file in one CI run instead of ~160).
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class MemoryMeasurementCollection
    {
        public const string Name = "Memory measurement";
    }

    [Collection(MemoryMeasurementCollection.Name)]
    public class KeywordIndexMemoryTests
    {
        [Fact]
        public void Two_hundred_thousand_files_fit_in_300_bytes_each()
        {
            // The benchmark holds 1,000,000 files from 10,000 peers; this checks the same shape at a fifth of the size.
            const int Files = 200_000, Peers = 2_000;
            var words = Enumerable.Range(0, 5000).Select(i => "w" + i.ToString("x")).ToArray();
            var rng = new Random(3);
            var hash = new byte[20];
            long before = GC.GetTotalMemory(true);
            var index = new KeywordIndex();
            for (int i = 0; i < Files; i++)
            {
                rng.NextBytes(hash);
                string name = $"{words[rng.Next(words.Length)]} {words[rng.Next(words.Length)]} - {words[rng.Next(words.Length)]} {i % 20:00}.mp3";
                index.Add(i % Peers, name, new ContentHash(hash), 3_000_000 + i, i / Peers);
            }
            long after = GC.GetTotalMemory(true);
            double perFile = (after - before) / (double)Files;
            Assert.True(perFile <= 300, $"{perFile:0} bytes per file");
            Assert.True(index.EstimateMemoryBytes() / (double)Files <= 300);
            GC.KeepAlive(index);
        }
    }
}
