Console.Error.WriteLine("contiv-agent: not yet wired (issue #4 in progress)");
return 2;
