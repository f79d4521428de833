using System;
using System.IO;
using PSUpnp.HelpCompiler.Parsing;

namespace PSUpnp.HelpCompiler
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: dotnet PSUpnp.HelpCompiler.dll <docs/help folder> <output en-US folder>");
                return 2;
            }

            try
            {
                foreach (var path in Compiler.Compile(args[0], args[1]))
                {
                    Console.WriteLine("Help -> " + path);
                }

                return 0;
            }
            catch (HelpFormatException e)
            {
                // "file(line): error: ..." is the form MSBuild's Exec shows as an error pointing at the page.
                Console.Error.WriteLine(e.Message);
                return 1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 1;
            }
        }
    }
}
