using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.BitTorrent
{
    // Uploads: each connection's send loop serves the blocks the peer asked for and sends what else was queued (haves,
    // requests, choke changes).
    //
    // What the seeding profile showed (issue 13, dotnet-trace while libtorrent and aria2 leeched 1 GiB): besides the
    // socket sends, the loop paid per 16 KiB block two node-lock round trips, an async read that waited on the file's
    // lock, a read through a 64 KiB FileStream buffer and two copies (buffer -> block, block -> send buffer). Now a batch
    // of requests is taken under one lock, each block is read with a positioned read straight into the send buffer
    // (PeerWireWriter.TryEnqueuePiece, PieceStorage.TryReadBlock: no lock, no task, no intermediate copy), the rates are
    // counted once per batch, and the next batch is read while the previous one is being written.
    public sealed partial class BitTorrentPeer
    {
        /// <summary>Requests taken per lock, and bytes queued before they are handed to the socket.</summary>
        const int SendBatchBytes = 256 * 1024;

        // Reads the connection's current block into the send buffer, under the writer's lock (see QueueBlock).
        static readonly Func<(PieceStorage Storage, SwarmConnection Connection), byte[], int, bool> s_readBlockInto = ReadBlockInto;

        async Task SendLoopAsync(SwarmConnection c)
        {
            var batch = new List<BlockRequest>(SendBatchBytes / BitTorrentConstants.BlockSize);
            Task writing = null;   // the previous batch going out while the next one is read; at most one
            try
            {
                while (true)
                {
                    await c.SendSignal.WaitAsync();
                    if (c.Closed) return;
                    bool wrote = false;
                    // Only requests or haves to send: no need for the lock.
                    while (c.QueuedUploads > 0)
                    {
                        int epoch = TakeUploads(c, batch);
                        if (batch.Count == 0) break;
                        long sent = 0;
                        foreach (var request in batch)
                        {
                            if (!_uploadLimit.IsUnlimited)
                            {
                                var wait = _uploadLimit.Reserve(request.Length);
                                if (wait > TimeSpan.Zero)
                                {
                                    // Send what is queued (blocks, requests, haves) before sleeping on the limit.
                                    if (writing != null) { await writing; writing = null; }
                                    await c.Writer.FlushAsync(Stopping);
                                    wrote = true;
                                    await Runtime.Clock.Delay(wait, Stopping);
                                }
                            }
                            var outcome = QueueBlock(c, request, epoch);
                            if (outcome == BlockServeOutcome.Busy)
                            {
                                // A file of it is being written (a download in progress): read it the waiting way.
                                await _storage.ReadAsync(request.Piece, request.Begin, c.SendBlock, 0, request.Length, Stopping);
                                lock (_gate)
                                {
                                    if (c.Closed || c.Chokes != epoch) outcome = BlockServeOutcome.Refused;
                                    else c.Writer.Enqueue(PeerMessage.Piece(request.Piece, request.Begin, c.SendBlock, 0, request.Length));
                                }
                            }
                            if (outcome == BlockServeOutcome.Refused) break;   // closed, or choked since: BEP 3 drops its requests
                            sent += request.Length;
                        }
                        if (sent > 0)
                        {
                            lock (_gate)
                            {
                                if (c.Closed) return;
                                var now = Runtime.Clock.Now;
                                c.Up.Add(sent, now);
                                c.LastPayloadAt = now;
                                _up.Add(sent, now);
                            }
                        }
                        if (c.Writer.PendingBytes >= SendBatchBytes)
                        {
                            if (writing != null) await writing;
                            writing = c.Writer.FlushAsync(Stopping);
                            wrote = true;
                        }
                    }
                    if (writing != null) { await writing; writing = null; }
                    if (c.Writer.PendingBytes > 0) { await c.Writer.FlushAsync(Stopping); wrote = true; }
                    if (wrote) c.LastSent = Runtime.Clock.Now;   // what keep-alives are timed from: only a real write counts
                }
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // Whatever ends the send loop ends the connection: a connection that cannot send must not linger.
                Close(c, Stopping.IsCancellationRequested ? "the node is stopping" : e.Message, false);
            }
            finally
            {
                // A write left in flight by an exception: its own failure is the same closed connection.
                if (writing != null && !writing.IsCompleted)
                    _ = writing.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        /// <summary>
        /// Takes up to <see cref="SendBatchBytes"/> of the connection's pending requests (cancelled ones dropped) into
        /// <paramref name="batch"/>, under one lock; returns the connection's choke count then, which the blocks are
        /// checked against before they go out.
        /// </summary>
        int TakeUploads(SwarmConnection c, List<BlockRequest> batch)
        {
            batch.Clear();
            lock (_gate)
            {
                int bytes = 0;
                while (!c.Closed && !c.AmChoking && c.Uploads.Count > 0 && bytes < SendBatchBytes)
                {
                    var next = c.DequeueUpload();
                    c.UploadKeys.Remove(next.Key);
                    if (c.CancelledUploads.Remove(next.Key)) continue;
                    batch.Add(next);
                    bytes += next.Length;
                }
                return c.Chokes;
            }
        }

        /// <summary>
        /// Reads one requested block from the files straight into the connection's send buffer. Refused when the
        /// connection closed or we choked it after the batch was taken (checked under the writer's lock: a choke queued
        /// before this block dropped its request, one queued after it waits for it); Busy when the data is being
        /// written this moment and must be read the waiting way.
        /// </summary>
        BlockServeOutcome QueueBlock(SwarmConnection c, BlockRequest request, int epoch)
        {
            c.Serving = request;
            c.ServingEpoch = epoch;
            return c.Writer.TryEnqueuePiece(request.Piece, request.Begin, request.Length, (_storage, c), s_readBlockInto)
                ? BlockServeOutcome.Queued
                : c.ServingOutcome;
        }

        static bool ReadBlockInto((PieceStorage Storage, SwarmConnection Connection) state, byte[] buffer, int offset)
        {
            var c = state.Connection;
            if (c.Closed || Volatile.Read(ref c.Chokes) != c.ServingEpoch)
            {
                c.ServingOutcome = BlockServeOutcome.Refused;
                return false;
            }
            var r = c.Serving;
            if (state.Storage.TryReadBlock(r.Piece, r.Begin, buffer, offset, r.Length)) return true;
            c.ServingOutcome = BlockServeOutcome.Busy;
            return false;
        }
    }
}
