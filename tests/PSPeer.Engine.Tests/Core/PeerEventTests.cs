using System;
using System.Collections.Generic;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Core
{
    public class PeerEventTests
    {
        [Fact]
        public void RoundTripsThroughAJsonLinesTrace()
        {
            var e = new PeerEvent(new DateTimeOffset(2001, 1, 1, 0, 0, 1, TimeSpan.Zero), "index", PeerEventTypes.SearchAnswered,
                "127.0.0.1:5000", "2 hits for hey jude", new Dictionary<string, object> { ["Query"] = "hey jude", ["Hits"] = 2L });
            string line = e.ToJson();
            Assert.DoesNotContain("\n", line);

            var back = PeerEvent.FromJson(line);
            Assert.Equal(e.Time, back.Time);
            Assert.Equal("index", back.Node);
            Assert.Equal(PeerEventTypes.SearchAnswered, back.Type);
            Assert.Equal("127.0.0.1:5000", back.Remote);
            Assert.Equal("2 hits for hey jude", back.Message);
            Assert.Equal("hey jude", back["Query"]);
            Assert.Equal(2L, back["Hits"]);
            Assert.Null(back["Missing"]);
        }
    }
}
