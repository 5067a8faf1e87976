using System.Reactive.Concurrency;

namespace PSPeer.Engine.Runtime
{
    /// <summary>
    /// Everything a protocol node may touch of the outside world. Protocol code never uses sockets, the system
    /// clock, Task.Delay, new Random or File directly: it goes through this, so the same code runs live
    /// (<see cref="Live.LiveRuntime"/>) and in a deterministic simulation (<see cref="Simulated.Simulation"/>).
    /// </summary>
    public interface IPeerRuntime
    {
        IClock Clock { get; }
        /// <summary>Seeded in a simulation; one shared source per host.</summary>
        IRandomSource Random { get; }
        ITransport Transport { get; }
        /// <summary>Datagram sockets on this host's address (UDP live).</summary>
        IDatagramTransport Datagrams { get; }
        IFileStorage Storage { get; }
        /// <summary>The scheduler Rx time operators must use (virtual time in a simulation).</summary>
        IScheduler Scheduler { get; }
        /// <summary>The address this host listens on ("127.0.0.1" live; a virtual address in a simulation).</summary>
        string HostAddress { get; }
        bool IsSimulated { get; }
    }
}
