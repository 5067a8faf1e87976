using PSPeer.Engine.Chord.Sharing;
using Xunit;

namespace PSPeer.Engine.Tests.Chord.Sharing
{
    public class ChordKeywordsTests
    {
        [Theory]
        [InlineData("The Beatles - Hey Jude.mp3", "beatles hey jude")]
        [InlineData("Hey_Jude (Remastered).flac", "hey jude")]
        [InlineData("a.mp3", "a")]                                   // only common words: kept, or it could never be found
        [InlineData("Let It Be.txt", "let")]                     // "it" and "be" are too common
        [InlineData("archive.tar.gz", "archive tar")]
        [InlineData("noextension", "noextension")]
        public void A_file_is_published_under_the_meaningful_words_of_its_name(string name, string expected)
        {
            Assert.Equal(expected, string.Join(" ", ChordKeywords.OfFileName(name)));
        }

        [Fact]
        public void A_query_meets_the_names_it_should()
        {
            Assert.Equal(new[] { "hey", "jude" }, ChordKeywords.OfQuery("Hey Jude"));
            Assert.Equal(new[] { "hey", "jude" }, ChordKeywords.OfQuery("the  HEY, jude!"));
            Assert.Empty(ChordKeywords.OfQuery("  "));
        }

        [Fact]
        public void Keyword_keys_never_collide_with_a_users_keys()
        {
            Assert.Equal("kw:jude", ChordKeywords.KeyOf("jude"));
        }
    }
}
