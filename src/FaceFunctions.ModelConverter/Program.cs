Console.WriteLine("converter");
