using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Module.Tests.Support
{
    /// <summary>A plain HTTP client of a dashboard: pages and JSON by GET, the event stream read as text/event-stream.</summary>
    public sealed class DashboardHttp : IDisposable
    {
        readonly HttpClient _http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        public DashboardHttp(string url)
        {
            int q = url.IndexOf('?');
            Base = url.Substring(0, q);          // http://127.0.0.1:port/
            Token = url.Substring(q + 3);        // after "?t="
        }

        public string Base { get; }
        public string Token { get; }
        public int Port => new Uri(Base).Port;

        public string WithToken(string path) => Base + path + "?t=" + Token;

        public async Task<(HttpStatusCode Status, string Body)> GetAsync(string url, string method = "GET", string host = null)
        {
            using (var request = new HttpRequestMessage(new HttpMethod(method), url))
            {
                if (host != null) request.Headers.Host = host;
                using (var response = await _http.SendAsync(request))
                    return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }
        }

        /// <summary>Opens the event stream; the returned reader yields (event, data) pairs until disposed.</summary>
        public async Task<EventStream> OpenEventsAsync()
        {
            var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Get, WithToken("api/events")), HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            return new EventStream(response, await response.Content.ReadAsStreamAsync());
        }

        public void Dispose() => _http.Dispose();

        public sealed class EventStream : IDisposable
        {
            readonly HttpResponseMessage _response;
            readonly StreamReader _reader;

            internal EventStream(HttpResponseMessage response, Stream stream)
            {
                _response = response;
                _reader = new StreamReader(stream, Encoding.UTF8);
            }

            /// <summary>Every raw line read so far (for assertions on the bytes as sent).</summary>
            public StringBuilder Raw { get; } = new StringBuilder();

            /// <summary>Reads messages until <paramref name="done"/> says enough (given every message so far) or the time is up.</summary>
            public async Task<List<(string Event, string Data)>> ReadUntilAsync(Func<List<(string Event, string Data)>, bool> done, TimeSpan limit)
            {
                var messages = new List<(string, string)>();
                using (var cts = new CancellationTokenSource(limit))
                {
                    string name = null, data = null;
                    while (!done(messages))
                    {
                        string line;
                        try { line = await _reader.ReadLineAsync(cts.Token); }
                        catch (OperationCanceledException) { break; }
                        if (line == null) break;
                        Raw.Append(line).Append('\n');
                        if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line.Substring(7);
                        else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line.Substring(6);
                        else if (line.Length == 0 && name != null) { messages.Add((name, data)); name = null; data = null; }
                    }
                }
                return messages;
            }

            public void Dispose()
            {
                _reader.Dispose();
                _response.Dispose();
            }
        }
    }
}
