namespace PSPeer.Engine.Core
{
    public enum NodeState { Starting, Running, Stopping, Stopped, Failed }
}
