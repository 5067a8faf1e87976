using System;
using System.IO;
using System.Net;
using System.Net.Sockets;

namespace PSPeer.Benchmarks
{
    /// <summary>Debian's nginx serving one folder on a free loopback port, as the reference HTTP server.</summary>
    sealed class Nginx : IDisposable
    {
        readonly string _prefix;
        public int Port { get; }

        Nginx(string prefix, int port) { _prefix = prefix; Port = port; }

        public static string Binary => File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";

        public static Nginx Start(string root)
        {
            string prefix = Directory.CreateTempSubdirectory("pspeer-nginx-").FullName;
            Directory.CreateDirectory(Path.Combine(prefix, "logs"));
            int port = FreePort();
            File.WriteAllText(Path.Combine(prefix, "nginx.conf"), $@"
daemon on;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  sendfile on;
  client_body_temp_path {prefix};
  proxy_temp_path {prefix};
  fastcgi_temp_path {prefix};
  uwsgi_temp_path {prefix};
  scgi_temp_path {prefix};
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
");
            var (code, output) = ExternalProcess.Run(Binary, $"-p {prefix} -c {prefix}/nginx.conf");
            if (code != 0) throw new InvalidOperationException("nginx did not start: " + output);
            return new Nginx(prefix, port);
        }

        static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        public void Dispose()
        {
            ExternalProcess.Run(Binary, $"-p {_prefix} -c {_prefix}/nginx.conf -s stop");
            try { Directory.Delete(_prefix, true); } catch (IOException) { }
        }
    }
}
