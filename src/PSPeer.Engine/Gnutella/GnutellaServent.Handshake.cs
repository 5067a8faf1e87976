using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Compression;
using PSPeer.Engine.Gnutella.Wire;
using PSPeer.Engine.Runtime;
using PSPeer.Engine.Runtime.Admission;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>The Gnutella 0.6 three-way handshake, both sides, and who gets a slot.</summary>
    public sealed partial class GnutellaServent
    {
        const int MaxTryUltrapeers = 10;

        /// <summary>Our own header lines, as every CONNECT and 200 of ours says them (and in this order).</summary>
        void WriteOwnHeaders(HandshakeHeadWriter writer)
        {
            writer.Header(IsLeaf ? LeafIntroduction : UltrapeerIntroduction)
                .Header("Listen-IP", _listenEndPoint)
                .Header(Capabilities);
            if (!IsLeaf)
            {
                // Truthful: the ultrapeer links we aim for, the highest TTL + hops we let through, and what we do with
                // queries. gtk-gnutella's leaves refuse an ultrapeer below X-Degree 16 or without X-Dynamic-Querying.
                writer.Header("X-Degree", Degree).Header("X-Max-TTL", Options.MaxTtl);
                if (Options.DynamicQuerying) writer.Header(DynamicQuerying);
                if (Options.UltrapeerQueryRouting) writer.Header(UltrapeerQueryRouting);
            }
            // "Accept-Encoding: deflate": we can read a compressed stream (said in CONNECT and in our 200 alike).
            if (CompressionEnabled) writer.Header(AcceptsDeflate);
        }

        // The lines of WriteOwnHeaders that are the same in every head (encoded once: every link writes two heads).
        static readonly HandshakeHeadLines LeafIntroduction = HandshakeHeadWriter.Prepare("User-Agent", UserAgent, "X-Ultrapeer", "False");
        static readonly HandshakeHeadLines UltrapeerIntroduction = HandshakeHeadWriter.Prepare("User-Agent", UserAgent, "X-Ultrapeer", "True");
        // What a 0.6 peer looks for before it uses these: we answer Pings from a pong cache, understand Bye, and read
        // (or skip) GGEP blocks in every descriptor.
        static readonly HandshakeHeadLines Capabilities = HandshakeHeadWriter.Prepare(
            "X-Query-Routing", "0.1", "Pong-Caching", "0.1", "Bye-Packet", "0.1", "GGEP", "0.5");
        static readonly HandshakeHeadLines DynamicQuerying = HandshakeHeadWriter.Prepare(
            "X-Dynamic-Querying", "0.1",
            "X-Ext-Probes", "0.1");   // a copy with a higher TTL after a probe is passed on, not dropped
        static readonly HandshakeHeadLines UltrapeerQueryRouting = HandshakeHeadWriter.Prepare("X-Ultrapeer-Query-Routing", "0.1");
        static readonly HandshakeHeadLines AcceptsDeflate = HandshakeHeadWriter.Prepare(LinkCompression.AcceptEncoding, LinkCompression.Deflate);

        /// <summary>Our CONNECT head, for <see cref="SendHeadAsync"/>. Written afresh for each dial (a few hundred bytes, no
        /// strings on the way): kept per servent it would cost every node of a simulated network its size for good.</summary>
        HandshakeHeadWriter OwnConnect()
        {
            var writer = HandshakeHeadWriter.Start(GnutellaHandshake.ConnectLine);
            WriteOwnHeaders(writer);
            return writer;
        }

        // Answers that never change, made once by the general writer (so they stay byte for byte what it writes).
        static readonly byte[] ConfirmPlain = GnutellaHandshake.Response(200, "OK", new Dictionary<string, string> { ["User-Agent"] = UserAgent });
        static readonly byte[] ConfirmCompressed = GnutellaHandshake.Response(200, "OK",
            new Dictionary<string, string> { ["User-Agent"] = UserAgent, [LinkCompression.ContentEncoding] = LinkCompression.Deflate });
        static readonly byte[] LeafRefusesLeaf = GnutellaHandshake.Response(503, "Leaves connect to ultrapeers", null);
        static readonly byte[] EncodingRefused = GnutellaHandshake.Response(406, "Content-Encoding not supported", null);

        /// <summary>The ultrapeer links this ultrapeer aims for: what it says as X-Degree.</summary>
        int Degree => Math.Max(0, Math.Min(Options.UltrapeerLinkTarget, Options.MaxUltrapeerLinks));

        // Servents of the pre-X-Degree era kept about 8 ultrapeer links (gtk-gnutella assumes the same).
        const int LegacyDegree = 8;

        /// <summary>What the other end said it can do (its CONNECT, or its answer to ours), taken from its head at once.</summary>
        struct RemoteCapabilities
        {
            int _degree, _maxTtl;
            bool _dynamicQuerying, _ultrapeerQueryRouting, _extProbes;

            // Read from the head's bytes where it can be (no string per header: every ultrapeer link reads five).
            public static RemoteCapabilities Of(HandshakeHead head) => new RemoteCapabilities
            {
                _degree = HeaderNumber(head, "X-Degree", out int degree) && degree >= 1 && degree <= 1000 ? degree : LegacyDegree,
                _maxTtl = HeaderNumber(head, "X-Max-TTL", out int maxTtl) && maxTtl >= 1 && maxTtl <= 255 ? maxTtl : 0,
                _dynamicQuerying = HeaderSaysSomething(head, "X-Dynamic-Querying"),
                _ultrapeerQueryRouting = HeaderSaysSomething(head, "X-Ultrapeer-Query-Routing"),
                _extProbes = HeaderSaysSomething(head, "X-Ext-Probes"),
            };

            // The header's value, trimmed, as int.TryParse with NumberStyles.None reads it (digits only, within int).
            static bool HeaderNumber(HandshakeHead head, string name, out int value)
            {
                value = 0;
                if (!(head.Headers is HandshakeHeaders headers) || !headers.TryGetValueBytes(name, out var bytes, out int start, out int length))
                    return int.TryParse(HeaderOf(head, name).Trim(), System.Globalization.NumberStyles.None,
                        System.Globalization.CultureInfo.InvariantCulture, out value);
                if (length == 0) return false;
                long n = 0;
                for (int i = start; i < start + length; i++)
                {
                    int digit = bytes[i] - '0';
                    if (digit < 0 || digit > 9) return false;
                    n = n * 10 + digit;
                    if (n > int.MaxValue) return false;
                }
                value = (int)n;
                return true;
            }

            // Whether the header is there with something other than white space.
            static bool HeaderSaysSomething(HandshakeHead head, string name) =>
                head.Headers is HandshakeHeaders headers && headers.TryGetValueBytes(name, out _, out _, out int length)
                    ? length > 0   // the value's bytes are trimmed as string.Trim trims
                    : HeaderOf(head, name).Trim().Length > 0;

            /// <summary>Told to an ultrapeer link only (a leaf's headers about ultrapeer links mean nothing).</summary>
            public void ApplyTo(GnutellaLink link)
            {
                if (!link.RemoteIsUltrapeer) return;
                link.AdvertisedDegree = _degree;
                link.AdvertisedMaxTtl = _maxTtl;
                link.DynamicQuerying = _dynamicQuerying;
                link.UltrapeerQueryRouting = _ultrapeerQueryRouting;
                link.ExtProbes = _extProbes;
            }
        }

        /// <summary>Dials, sends CONNECT, reads the answer, confirms, and starts the link.</summary>
        async Task HandshakeOutgoingAsync(HostPort peer, CancellationToken cancellationToken)
        {
            if (peer.Equals(_listenEndPoint))
                throw new PeerException(PeerErrorIds.HandshakeRefused, $"{peer} is this servent's own address.");
            // A transport that dials by value (simulated) costs no task per dial.
            var transport = Runtime.Transport;
            var connection = transport is IValueConnectTransport byValue
                ? await byValue.ConnectValueAsync(peer.Host, peer.Port, cancellationToken)
                : await transport.ConnectAsync(peer.Host, peer.Port, cancellationToken);
            // Its deadline, the caller's token and the servent's stop all end the handshake by closing the connection.
            var deadline = BeginHandshake(connection, cancellationToken);
            if (deadline == null) { connection.Dispose(); throw new OperationCanceledException("the servent is stopping"); }
            bool done = false;
            GnutellaLink link;
            try
            {
                // (Few locals live across the awaits: a network build holds one of these frames per link it makes.)
                long sentAt = Runtime.Clock.Now.UtcTicks;
                await SendHeadAsync(connection.Stream, OwnConnect(), CancellationToken.None);

                // 1 KiB holds a whole 200 with its X-Try-Ultrapeers where the reader needs a buffer of its own.
                var reader = new HandshakeHeadReader(connection.Stream, GnutellaHandshake.DefaultMaxHeadBytes, 1024);
                HandshakeHead answer;
                try { while (!reader.TryTakeHead(out answer)) await reader.WaitAsync(CancellationToken.None); }
                catch (Exception) when (deadline.TimedOut)
                {
                    throw new PeerException(PeerErrorIds.Unreachable, $"{peer} did not answer the Gnutella handshake within {HandshakeTimeout.TotalSeconds:0} s.");
                }
                catch (GnutellaProtocolException e) when (!Stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new PeerException(PeerErrorIds.HandshakeRefused, $"{peer} did not answer with a Gnutella 0.6 handshake ({e.Message}).", e);
                }
                RecordRtt(TimeSpan.FromTicks(Runtime.Clock.Now.UtcTicks - sentAt));
                LearnTryUltrapeers(answer);
                if (answer.IsConnect || answer.Status != 200)
                {
                    Emit(PeerEventTypes.HandshakeRefused, peer.ToString(), $"{answer.Status} {answer.Reason}".Trim(),
                        D("Status", answer.Status), D("Reason", answer.Reason ?? ""), D("UserAgent", HeaderOf(answer, "User-Agent")));
                    throw new PeerException(PeerErrorIds.HandshakeRefused,
                        $"{peer} refused the Gnutella connection: {answer.Status} {answer.Reason}. Try another servent (it listed {CountTry(answer)} others).");
                }

                // Everything the link needs from the answer, taken now: the head is lent until the reader's next read.
                bool remoteUltrapeer = IsUltrapeerHeader(answer);
                string unreadable = LinkCompression.UnknownEncoding(answer);
                // Link compression, each way on its own: we compress if it can inflate, we inflate if it compresses.
                bool compress = CompressionEnabled && LinkCompression.Accepts(answer);
                bool inflate = LinkCompression.Declares(answer);
                bool acceptsBye = AdvertisesBye(answer);
                var capabilities = remoteUltrapeer ? RemoteCapabilities.Of(answer) : default;
                HandshakeHeadReader.Release(ref answer);

                if (IsLeaf && !remoteUltrapeer)
                {
                    await SendAsync(connection.Stream, LeafRefusesLeaf, CancellationToken.None);
                    throw new PeerException(PeerErrorIds.HandshakeRefused, $"{peer} is a leaf; a leaf connects only to ultrapeers.");
                }
                if (unreadable != null)
                {
                    await SendAsync(connection.Stream, EncodingRefused, CancellationToken.None);
                    throw new PeerException(PeerErrorIds.HandshakeRefused, $"{peer} would send with Content-Encoding '{unreadable}', which PSPeer cannot read.");
                }
                await SendAsync(connection.Stream, compress ? ConfirmCompressed : ConfirmPlain, CancellationToken.None);
                // The connection is the link's only once the deadline can no longer take it.
                if (!EndHandshake(deadline)) throw new ObjectDisposedException(nameof(IConnection), "the handshake's deadline passed");

                link = new GnutellaLink(connection, peer, remoteUltrapeer, outgoing: true, reader.TakeBuffered(), Options.MaxPayloadLength,
                    new QueryRateLimiter(Runtime.Clock, Options.QueriesPerSecondPerLink), Counters,
                    compressSending: compress, inflateReceiving: inflate, live: !Runtime.IsSimulated)
                    { AcceptsBye = acceptsBye, RemoteAddress = RemoteAddressOf(connection, peer.Host) };
                capabilities.ApplyTo(link);
                done = true;
            }
            catch (Exception e) when (!(e is PeerException))
            {
                // The connection was closed under the handshake, or failed: say which.
                if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException("the connection attempt was cancelled", e, cancellationToken);
                if (Stopping.IsCancellationRequested) throw new OperationCanceledException("the servent is stopping", e);
                if (deadline.TimedOut)
                    throw new PeerException(PeerErrorIds.Unreachable, $"{peer} did not finish the Gnutella handshake within {HandshakeTimeout.TotalSeconds:0} s.");
                if (e is System.IO.IOException || e is ObjectDisposedException)
                    throw new PeerException(PeerErrorIds.Unreachable, $"The connection to {peer} failed during the Gnutella handshake: {e.Message}", e);
                throw;
            }
            finally
            {
                if (!done)
                {
                    EndHandshake(deadline);
                    connection.Dispose();
                }
            }
            StartLink(link);
        }

        // The accepting side of the handshake runs inside DispatchIncomingAsync (one async method per incoming
        // connection, not two); these are its steps that need no waiting.

        /// <summary>What the accepting side takes from a CONNECT head, at once (the head is lent).</summary>
        struct Hello
        {
            public bool RemoteUltrapeer, Compress, Declares, AcceptsBye;
            public HostPort Listen;
            public string Unreadable;
            public RemoteCapabilities Capabilities;
        }

        /// <summary>Takes what the handshake needs from the CONNECT, and learns the hosts it lists.</summary>
        Hello TakeHello(HandshakeHead head, string remoteAddress)
        {
            var hello = new Hello { RemoteUltrapeer = IsUltrapeerHeader(head), Listen = ListenAddressOf(head, remoteAddress) };
            LearnTryUltrapeers(head);
            hello.Compress = CompressionEnabled && LinkCompression.Accepts(head);
            hello.Unreadable = LinkCompression.UnknownEncoding(head);
            hello.Declares = LinkCompression.Declares(head);
            hello.AcceptsBye = AdvertisesBye(head);
            if (hello.RemoteUltrapeer) hello.Capabilities = RemoteCapabilities.Of(head);
            return hello;
        }

        /// <summary>Our 200: our headers, then what this connection alone gets, in the order a dictionary of them was written.</summary>
        HandshakeHeadWriter Answer(in Hello hello, string remoteAddress)
        {
            var writer = HandshakeHeadWriter.Start(GnutellaHandshake.StatusLine(200, "OK"));
            WriteOwnHeaders(writer);
            writer.Header("Remote-IP", remoteAddress);
            if (hello.Compress) writer.Header(LinkCompression.ContentEncoding, LinkCompression.Deflate);
            _hosts.WriteTryUltrapeers(writer, "X-Try-Ultrapeers", MaxTryUltrapeers, hello.Listen);   // nothing when it knows none
            if (!IsLeaf) writer.Header(UltrapeerLinkCount < Options.UltrapeerLinkTarget ? UltrapeerNeeded : UltrapeerNotNeeded);
            return writer;
        }

        static readonly HandshakeHeadLines UltrapeerNeeded = HandshakeHeadWriter.Prepare("X-Ultrapeer-Needed", "True");
        static readonly HandshakeHeadLines UltrapeerNotNeeded = HandshakeHeadWriter.Prepare("X-Ultrapeer-Needed", "False");

        /// <summary>What the accepting side takes from the initiator's confirmation, at once (the head is lent).</summary>
        struct Confirmation
        {
            public bool Accepted, Inflate, StaysLeaf;
            public string Unreadable;
        }

        static Confirmation TakeConfirmation(HandshakeHead head, in Hello hello)
        {
            if (head.IsConnect || head.Status != 200) return default;
            return new Confirmation
            {
                Accepted = true,
                Unreadable = LinkCompression.UnknownEncoding(head) ?? hello.Unreadable,
                // The initiator compresses from here on when it says so in its confirmation (gtk-gnutella also honours
                // it said in the CONNECT).
                Inflate = LinkCompression.Declares(head) || hello.Declares,
                // Leaf guidance: told X-Ultrapeer-Needed: False, an ultrapeer-capable servent may say X-Ultrapeer: False
                // in the third step and stay on as our leaf. Taken for an ultrapeer, it would get every query unfiltered
                // and its QRP table would be ignored.
                StaysLeaf = head.Headers != null && head.Headers.ContainsKey("X-Ultrapeer") && !IsUltrapeerHeader(head),
            };
        }

        /// <summary>The link an accepted handshake makes.</summary>
        GnutellaLink IncomingLink(IConnection connection, in Hello hello, bool remoteUltrapeer, bool inflate, string remoteAddress, byte[] alreadyRead)
        {
            var link = new GnutellaLink(connection, hello.Listen, remoteUltrapeer, outgoing: false, alreadyRead, Options.MaxPayloadLength,
                new QueryRateLimiter(Runtime.Clock, Options.QueriesPerSecondPerLink), Counters,
                compressSending: hello.Compress, inflateReceiving: inflate, live: !Runtime.IsSimulated) { AcceptsBye = hello.AcceptsBye, RemoteAddress = remoteAddress };
            hello.Capabilities.ApplyTo(link);
            return link;
        }

        /// <summary>Whether this servent offers and uses link compression (the option, or live-on / simulated-off; never where flush fails).</summary>
        public bool CompressionEnabled => (Options.CompressLinks ?? !Runtime.IsSimulated) && LinkCompression.IsSupported;

        // After the handshake a refusal can only be a Bye (the link is up as far as the other servent knows).
        Task SayByeAsync(System.IO.Stream stream, ushort code, string reason, CancellationToken token) =>
            SendLastWordsAsync(stream, GnutellaCodec.Encode(GnutellaGuid.New(Runtime.Random), 1, 0, new Bye { Code = code, Reason = reason }), token);

        static Task RefuseAsync(System.IO.Stream stream, int status, string reason, string tryUltrapeers, CancellationToken token)
        {
            var writer = HandshakeHeadWriter.Start(GnutellaHandshake.StatusLine(status, reason)).Header("User-Agent", UserAgent);
            if (!string.IsNullOrEmpty(tryUltrapeers)) writer.Header("X-Try-Ultrapeers", tryUltrapeers);
            return SendLastWordsAsync(stream, writer.Finish(), token);
        }

        // A head written straight from the writer's buffer (a head per link step, and a simulated network makes links
        // by the hundred thousand).
        static async Task SendHeadAsync(System.IO.Stream stream, HandshakeHeadWriter head, CancellationToken token)
        {
            await head.FinishTo(stream, token);
            await stream.FlushAsync(token);
        }

        static async Task SendAsync(System.IO.Stream stream, byte[] bytes, CancellationToken token)
        {
            await stream.WriteAsync(bytes, 0, bytes.Length, token);
            await stream.FlushAsync(token);
        }

        // What we say before closing: best effort, the other end may have gone already and we close either way.
        static async Task SendLastWordsAsync(System.IO.Stream stream, byte[] bytes, CancellationToken token)
        {
            try { await SendAsync(stream, bytes, token); }
            catch (Exception) { }
        }

        // Where the other servent accepts connections. Servents of different eras name it differently: Listen-IP
        // (LimeWire and the 0.6 draft), X-Node / Node (gtk-gnutella, BearShare), X-My-Address (older still).
        static readonly string[] ListenHeaders = { "Listen-IP", "X-Node", "Node", "X-My-Address" };

        /// <param name="likely">The connection's remote address: the host a servent usually names, whose string is then shared.</param>
        static HostPort ListenAddressOf(HandshakeHead head, string likely = null)
        {
            if (head.Headers == null) return null;
            var headers = head.Headers as HandshakeHeaders;
            foreach (var name in ListenHeaders)
            {
                HostPort listen;
                if (headers != null && headers.TryGetValueBytes(name, out var bytes, out int start, out int length))
                {
                    if (HostCache.TryParseEndpoint(bytes, start, length, likely, out listen) && listen.Port > 0) return listen;
                }
                else if (head.Headers.TryGetValue(name, out var text) && HostPort.TryParse(text, out listen) && listen.Port > 0) return listen;
            }
            return null;
        }

        // The Bye proposal: send Bye only to a servent that said Bye-Packet; to others it is an unknown type.
        static bool AdvertisesBye(HandshakeHead head) =>
            head.Headers != null && head.Headers.TryGetValue("Bye-Packet", out var version) && !string.IsNullOrWhiteSpace(version);

        // No X-Ultrapeer header: an old flat-network 0.6 servent, which routes like an ultrapeer.
        static bool IsUltrapeerHeader(HandshakeHead head) =>
            head.Headers == null || !head.Headers.TryGetValue("X-Ultrapeer", out var value) || !string.Equals(value?.Trim(), "False", StringComparison.OrdinalIgnoreCase);

        /// <summary>Hosts from X-Try-Ultrapeers (ultrapeers) and the older X-Try (any servent).</summary>
        void LearnTryUltrapeers(HandshakeHead head)
        {
            if (head.Headers == null) return;
            LearnTryList(head, "X-Try-Ultrapeers", ultrapeers: true);
            LearnTryList(head, "X-Try", ultrapeers: false);
        }

        // A hostile list cannot flood the cache: at most twice what we would list ourselves.
        // Read from the head's bytes where it can be: a list of hosts mostly known costs no string at all.
        void LearnTryList(HandshakeHead head, string name, bool ultrapeers)
        {
            if (head.Headers is HandshakeHeaders headers && headers.TryGetValueBytes(name, out var bytes, out int start, out int length))
                _hosts.AddList(bytes, start, length, 2 * MaxTryUltrapeers, ultrapeers);
            else if (head.Headers.TryGetValue(name, out var list)) _hosts.AddList(list, 2 * MaxTryUltrapeers, ultrapeers);
        }

        static int CountTry(HandshakeHead head) =>
            head.Headers != null && head.Headers.TryGetValue("X-Try-Ultrapeers", out var list) && !string.IsNullOrEmpty(list) ? list.Split(',').Length : 0;

        static string HeaderOf(HandshakeHead head, string name) =>
            head.Headers != null && head.Headers.TryGetValue(name, out var value) ? value ?? "" : "";

        /// <summary>
        /// The remote address of <paramref name="connection"/> without its port: what a simulated end knows already (its
        /// peer host's own address string), otherwise the host of its endpoint (see <see cref="HostOf"/>). A dial read
        /// the endpoint, a "host:port" string made for the purpose, only to take the host back out of it.
        /// </summary>
        static string RemoteAddressOf(IConnection connection, string likely) =>
            connection is IAdmissionCarrier carrier ? carrier.RemoteAddress : HostOf(connection.RemoteEndPoint, likely);

        /// <summary>
        /// The host of "host:port" (as <see cref="HostPort.TryParse(string, out HostPort)"/> reads it), or the text when it
        /// is not one. <paramref name="likely"/> is the host expected (the one dialled): when it is that, that very string
        /// is returned rather than a copy, so a network's links share their hosts' address strings.
        /// </summary>
        static string HostOf(string endPoint, string likely)
        {
            if (likely != null && endPoint != null && endPoint.Length > likely.Length + 1 && endPoint[likely.Length] == ':'
                && string.CompareOrdinal(endPoint, 0, likely, 0, likely.Length) == 0 && IsPlainHost(likely) && IsPort(endPoint, likely.Length + 1))
                return likely;
            return HostPort.TryParse(endPoint, out var hp) ? hp.Host : endPoint;
        }

        // No character that HostPort.TryParse would trim or read otherwise (white space, brackets, a colon).
        static bool IsPlainHost(string host)
        {
            if (host.Length == 0) return false;
            foreach (char c in host) if (c == ':' || c == '[' || c == ']' || char.IsWhiteSpace(c)) return false;
            return true;
        }

        // Digits to the end, a port HostPort.TryParse accepts (at most 65535).
        static bool IsPort(string text, int from)
        {
            int port = 0;
            for (int i = from; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9') return false;
                port = port * 10 + (c - '0');
                if (port > 65535) return false;
            }
            return true;
        }
    }
}
