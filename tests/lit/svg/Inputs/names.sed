s/^workflow "face_recognition"/workflow "<wf> \& \\"quotes\\" 'apos' \\x01 café ]]>"/
s/^node %3 tb "detect"/node %3 tb "det<ect> \& \\"co\\" 漢字"/
