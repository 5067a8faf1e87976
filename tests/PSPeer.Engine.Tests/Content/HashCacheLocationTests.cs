using System;
using System.IO;
using PSPeer.Engine.Content;
using Xunit;

namespace PSPeer.Engine.Tests.Content
{
    /// <summary>PSPEER_HASH_CACHE moves the per-user hash cache or turns its file off.</summary>
    public class HashCacheLocationTests
    {
        const string Default = "/home/someone/.local/share/PSPeer/hashcache.json";

        [Fact]
        public void Unset_keeps_the_per_user_default()
        {
            Assert.Equal(Default, HashCache.ResolveCachePath(null, Default));
        }

        [Theory]
        [InlineData("")]
        [InlineData("  ")]
        [InlineData("off")]
        [InlineData("OFF")]
        public void Empty_or_off_persists_nothing(string value)
        {
            Assert.Null(HashCache.ResolveCachePath(value, Default));
        }

        [Fact]
        public void A_path_moves_the_cache_file_there()
        {
            string path = Path.Combine(Path.GetTempPath(), "pspeer-cache-test", "h.json");

            Assert.Equal(path, HashCache.ResolveCachePath(path, Default));
        }

        [Fact]
        public void The_shared_cache_follows_the_variable_when_it_changes()
        {
            string before = Environment.GetEnvironmentVariable(HashCache.LocationVariable);
            string path = Path.Combine(Path.GetTempPath(), "pspeer-cache-" + Guid.NewGuid().ToString("N"), "h.json");
            try
            {
                Environment.SetEnvironmentVariable(HashCache.LocationVariable, path);
                Assert.Equal(path, HashCache.Shared.CacheFilePath);
                Environment.SetEnvironmentVariable(HashCache.LocationVariable, "off");
                Assert.Null(HashCache.Shared.CacheFilePath);
            }
            finally
            {
                Environment.SetEnvironmentVariable(HashCache.LocationVariable, before);
            }
        }
    }
}
