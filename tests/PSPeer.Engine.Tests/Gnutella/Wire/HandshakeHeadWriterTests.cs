using System;
using System.Text;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;
using Xunit;

namespace PSPeer.Engine.Tests.Gnutella.Wire
{
    /// <summary>Lines prepared once and endpoints written from their numbers are the bytes the general writer writes.</summary>
    public class HandshakeHeadWriterTests
    {
        [Fact]
        public void Prepared_lines_are_written_as_header_by_header_writes_them()
        {
            var lines = HandshakeHeadWriter.Prepare("User-Agent", "PSPeer/0.1", "X-Ultrapeer", "True", "Empty", "");
            var prepared = HandshakeHeadWriter.Start("GNUTELLA CONNECT/0.6").Header(lines).Header("X-Degree", 32).Finish();
            var plain = HandshakeHeadWriter.Start("GNUTELLA CONNECT/0.6").Header("User-Agent", "PSPeer/0.1").Header("X-Ultrapeer", "True")
                .Header("Empty", "").Header("X-Degree", 32).Finish();
            Assert.Equal(plain, prepared);
            Assert.Equal("GNUTELLA CONNECT/0.6\r\nUser-Agent: PSPeer/0.1\r\nX-Ultrapeer: True\r\nEmpty: \r\nX-Degree: 32\r\n\r\n", Encoding.ASCII.GetString(prepared));
        }

        [Fact]
        public void Prepared_lines_are_checked_as_headers_are()
        {
            Assert.Throws<ArgumentException>(() => HandshakeHeadWriter.Prepare("X-Bad", "a\r\nInjected: yes"));
            Assert.Throws<ArgumentException>(() => HandshakeHeadWriter.Prepare("X:Bad", "1"));
            Assert.Throws<ArgumentException>(() => HandshakeHeadWriter.Prepare("X-Alone"));
            // A refused preparation leaves this thread's writer usable.
            Assert.Equal("A\r\nB: 1\r\n\r\n", Encoding.ASCII.GetString(HandshakeHeadWriter.Start("A").Header("B", "1").Finish()));
        }

        [Theory]
        [InlineData("10.0.0.1", 6346, "10.0.0.1:6346")]
        [InlineData("255.255.255.255", 65535, "255.255.255.255:65535")]
        [InlineData("010.0.0.1", 1, "010.0.0.1:1")]
        [InlineData("host.example", 80, "host.example:80")]
        [InlineData("fe80::1", 6346, "[fe80::1]:6346")]
        public void An_endpoint_header_says_the_endpoint_as_its_text(string host, int port, string text)
        {
            var endPoint = new HostPort(host, port);
            Assert.Equal(text, endPoint.ToString());
            Assert.Equal("S\r\nListen-IP: " + text + "\r\n\r\n",
                Encoding.ASCII.GetString(HandshakeHeadWriter.Start("S").Header("Listen-IP", endPoint).Finish()));
        }
    }
}
