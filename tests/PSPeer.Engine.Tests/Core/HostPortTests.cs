using System;
using PSPeer.Engine.Core;
using Xunit;

namespace PSPeer.Engine.Tests.Core
{
    public class HostPortTests
    {
        [Theory]
        [InlineData("127.0.0.1:8888", "127.0.0.1", 8888)]
        [InlineData(" localhost:1 ", "localhost", 1)]
        [InlineData("[::1]:6699", "::1", 6699)]
        public void ParsesHostAndPort(string text, string host, int port)
        {
            var ep = HostPort.Parse(text);
            Assert.Equal(host, ep.Host);
            Assert.Equal(port, ep.Port);
        }

        [Theory]
        [InlineData("127.0.0.1")]
        [InlineData(":80")]
        [InlineData("host:")]
        [InlineData("host:70000")]
        [InlineData("host:-1")]
        [InlineData("host:eighty")]
        public void RefusesWhatIsNotHostColonPort(string text)
        {
            Assert.False(HostPort.TryParse(text, out _));
            var e = Assert.Throws<FormatException>(() => HostPort.Parse(text));
            Assert.Contains("host:port", e.Message);
        }

        [Fact]
        public void FormatsIPv6InBrackets() => Assert.Equal("[::1]:80", new HostPort("::1", 80).ToString());
    }
}
