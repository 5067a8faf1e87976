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

        [Theory]
        [InlineData("host:0", 0)]
        [InlineData("host:065535", 65535)]
        [InlineData("host:65536", -1)]
        [InlineData("host:99999999999", -1)]
        [InlineData("host: 80", -1)]
        [InlineData("host:+80", -1)]
        [InlineData("   ", -1)]
        [InlineData("", -1)]
        public void PortsAreDigitsUpTo65535(string text, int port)
        {
            Assert.Equal(port >= 0, HostPort.TryParse(text, out var ep));
            if (port >= 0) Assert.Equal(port, ep.Port);
        }

        [Fact]
        public void ParsesOneItemOfAListInPlace()
        {
            const string list = "10.0.0.1:6346, [::1]:6347 ,bad,:1,h:2";
            var items = list.Split(',');
            int start = 0;
            foreach (var item in items)
            {
                bool whole = HostPort.TryParse(item, out var expected);
                Assert.Equal(whole, HostPort.TryParse(list, start, item.Length, out var inPlace));
                Assert.Equal(expected, inPlace);
                start += item.Length + 1;
            }
            Assert.False(HostPort.TryParse(list, 30, 20, out _));   // past the end
        }

        [Fact]
        public void FormatsIPv6InBrackets() => Assert.Equal("[::1]:80", new HostPort("::1", 80).ToString());

        [Theory]
        [InlineData("10.0.0.1", "10.0.0.1", true)]
        [InlineData("10.0.0.1", "010.0.0.1", false)]       // another text, so another host, as it always was
        [InlineData("010.0.0.1", "010.0.0.1", true)]
        [InlineData("0.0.0.0", "0.0.0.0", true)]
        [InlineData("10.0.0.1", "10.0.0.2", false)]
        [InlineData("Host.Example", "host.example", true)]
        [InlineData("fe80::1", "FE80::1", true)]
        [InlineData("10.0.0.1", "host.example", false)]
        public void Hosts_are_equal_exactly_when_their_texts_are_ignoring_case(string a, string b, bool equal)
        {
            var x = new HostPort(a, 6346);
            var y = new HostPort(b, 6346);
            Assert.Equal(equal, x.Equals(y));
            Assert.Equal(equal, y.Equals(x));
            if (equal) Assert.Equal(x.GetHashCode(), y.GetHashCode());
            Assert.False(x.Equals(new HostPort(b, 6347)));
        }

        [Fact]
        public void An_ipv4_literal_host_knows_its_address()
        {
            Assert.Equal(0x0A000001u, new HostPort("10.0.0.1", 1).Ipv4Address);
            Assert.Equal(0u, new HostPort("010.0.0.1", 1).Ipv4Address);
            Assert.Equal(0u, new HostPort("host.example", 1).Ipv4Address);
        }
    }
}
